package dev.loopguard.core.ir;

/**
 * A fact that tells what a name or attribute may hold. Bindings are flow-insensitive: the core
 * takes the union of every binding of a target.
 *
 * @param scope id of the scope in which the binding statement stands
 * @param kind what sort of binding
 * @param target a {@link Ref.Var} or an {@link Ref.Attr} (e.g. {@code self.client}); null for
 *     {@link Kind#RETURN}
 * @param value for ASSIGN / WITH / RETURN / IMPORT: the value; for ANNOTATION: the type
 *     expression (the target holds an instance of it)
 * @param line first line of the binding statement or expression (see {@link #span()})
 * @param column its first column
 * @param endLine its last line
 * @param endColumn the column after its end
 */
public record Binding(String scope, Kind kind, Ref target, Ref value,
    // The span's parts, not a Span: a program has hundreds of thousands of bindings.
    int line, int column, int endLine, int endColumn) {

  public Binding(String scope, Kind kind, Ref target, Ref value, Span span) {
    this(scope, kind, target, value, span.line(), span.column(), span.endLine(), span.endColumn());
  }

  /** The binding statement or expression. */
  public Span span() {
    return new Span(line, column, endLine, endColumn);
  }

  public enum Kind {
    /** {@code target = value} (also walrus, augmented defaults, {@code for} targets are not bound). */
    ASSIGN,
    /** {@code target: Type}, a parameter annotation, the implicit type of {@code self}. */
    ANNOTATION,
    /** {@code with value as target}: the target holds what entering the context returns. */
    WITH,
    /** {@code return value} in function {@code scope}. */
    RETURN,
    /** {@code import a.b as target} / {@code from a import b as target}: value is the QName. */
    IMPORT
  }
}
