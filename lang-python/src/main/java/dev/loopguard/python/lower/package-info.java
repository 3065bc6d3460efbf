/**
 * Lowering of Python syntax trees to the core IR.
 *
 * <p>Entry points: {@link dev.loopguard.python.lower.ModuleLowering#lower} (a parsed module to a
 * {@link dev.loopguard.core.ir.ModuleIr}), {@link dev.loopguard.python.lower.SourceDecoder}
 * (bytes to text: BOM, PEP 263 cookie, replacement of undecodable bytes), {@link
 * dev.loopguard.python.lower.ModuleNames} (module names and aliases). The frontend service is
 * {@link dev.loopguard.python.PythonFrontend}.
 *
 * <p>Two passes per file: {@code ScopeAnalyzer} builds the scope tree (ids, qualified names,
 * the names each scope binds, global/nonlocal), then {@code ModuleLowering} walks the tree once
 * more, emitting functions, classes, call sites (pre-order) and bindings, resolving every name
 * with {@code Scopes}. Expression chains (attribute/call/subscript spines, unary, conditional,
 * lambda and operator chains, elif chains) are walked iteratively; what recursion remains is
 * bounded by the parser's bracket and indentation limits.
 *
 * <h2>Choices where the IR leaves room</h2>
 *
 * <ul>
 *   <li>A name owned by a comprehension (its targets) lowers to {@code Unknown(name)}: it has
 *       no IR scope and no bindings.
 *   <li>A function- or class-local name bound only by imports of one qualified name lowers to
 *       that {@code QName} (as at module level); the IMPORT binding is emitted too.
 *   <li>A name bound only by several {@code def}/{@code class} statements resolves to the last
 *       one.
 *   <li>Binding values: {@code a or b} and {@code x if c else y} give one binding per
 *       alternative (ASSIGN, WITH, RETURN, walrus); as a plain expression they are Unknown.
 *   <li>A lambda's body is its RETURN binding.
 *   <li>Type refs: {@code Optional}/{@code Union}/{@code | None}/{@code Annotated}/{@code
 *       Final}/{@code ClassVar}/{@code Required}/{@code NotRequired}/{@code ReadOnly} unwrap;
 *       another generic {@code G[...]} names its origin {@code G}; {@code None} is a NONE
 *       literal; unions of several types are Unknown. No ANNOTATION binding for {@code *args}
 *       and {@code **kwargs}.
 *   <li>Attribute targets keep the Attr form even on a QName base ({@code mod.x = v} binds
 *       {@code Attr(QName(mod), x)}).
 *   <li>Loops: the first iterable of a {@code for} or comprehension is outside the loop, the
 *       {@code while} test inside; each {@code for} clause of a comprehension adds one level.
 *   <li>IN_TRY: the body of a try with a bare {@code except}, {@code Exception} or {@code
 *       BaseException} handler (as the flag's javadoc says "catch broadly").
 *   <li>MAIN_GUARD and TYPE_CHECKING_ONLY are lexical: they carry into functions defined in the
 *       block; IN_TRY, loops and DECORATOR stop at a new scope.
 *   <li>NESTED: some enclosing scope is a function or lambda (methods of a class defined in a
 *       function too; a module-level lambda is not nested).
 *   <li>Receiver: the first positional parameter of a method; classmethods and the implicit
 *       ones ({@code __new__}, {@code __init_subclass__}, {@code __class_getitem__}) get an
 *       ASSIGN of the class, others an ANNOTATION.
 *   <li>Positions of positional arguments count the non-starred ones before them.
 * </ul>
 */
package dev.loopguard.python.lower;
