/**
 * Hand-written Python 3.8–3.13 lexer and parser producing {@link dev.loopguard.python.ast.Ast}
 * trees. Entry point: {@link dev.loopguard.python.parse.PythonParser#parse(String)}.
 *
 * <h2>Design</h2>
 *
 * <ul>
 *   <li><b>Lexer</b> ({@code Lexer}): one pass over a {@code char[]}, tokens produced on demand
 *       into a flat {@code int[]} (8 ints per token: type, offsets, start/end line and column)
 *       plus a value array. Identifiers and numbers are interned through a two-level table (a
 *       static table of keywords and ~750 frequent identifiers shared by all parses, and a
 *       per-parse table), so the common names allocate nothing. No regexes, no per-character
 *       allocation, no exceptions. Indentation as CPython (tabs to multiples of 8, tab/space
 *       consistency check with tab size 1, form feed resets the column), implicit joining in
 *       brackets, backslash continuation, CR/LF/CRLF, comments collected. Strings: all
 *       prefixes, escape decoding (invalid escapes kept, as CPython only warns), PEP 701
 *       f-strings with a mode stack (literal / replacement field / format spec); replacement
 *       field braces count as brackets.
 *   <li><b>Parser</b> ({@code PythonParser}): recursive descent over the token buffer with
 *       bounded lookahead. Operator precedence (from {@code or} down to {@code await}) is an
 *       explicit-stack operator-precedence parser; conditional expressions and lambdas are
 *       folded from an explicit stack; primaries are loops. So recursion happens only for
 *       bracketed sub-expressions, lambda defaults, f-string fields and nested blocks. The only
 *       speculation is for {@code with (...)} (parenthesized context managers vs a
 *       parenthesized expression), which re-parses a token range at most once; {@code match}
 *       is recognized by a token scan of its line ({@code match ... :} NEWLINE INDENT). Assignment
 *       targets are parsed as expressions and validated, as in CPython's grammar.
 *   <li><b>Positions</b>: CPython's {@code lineno/col_offset/end_*} semantics (a node spans from
 *       the first to the last token of its rule, parentheses of a group excluded from the inner
 *       node but included in the enclosing one; compound statements end at their last real
 *       token), with columns in UTF-16 units. Verified against CPython 3.11–3.13 on complete
 *       tree dumps of the standard library.
 *   <li><b>Errors</b>: lexical errors become {@code ERROR} tokens (reported once); a syntax
 *       error abandons the current statement (a no-stack-trace exception, only on real errors),
 *       skips to the next NEWLINE and parses an indented block that follows into the enclosing
 *       statement list. Broken {@code def}/{@code class} headers keep the definition with its
 *       body. An unclosed bracket is closed when a line inside it starts with a keyword that can
 *       only start a statement ({@code def}, {@code class}, {@code return}, {@code import}, ...); an
 *       unterminated triple-quoted string ends at the end of its first line.
 * </ul>
 *
 * <h2>Limits</h2>
 *
 * See {@link dev.loopguard.python.parse.PythonParser}: 200 nested brackets and 100 indentation
 * levels (both as CPython), 250 levels of counted parser recursion and 1000 levels of expression
 * tree height. Measured worst case: 352 KB of Java stack with {@code -Xint} (interpreted frames,
 * the largest) for 99 nested blocks around a 200-deep call expression; 288 KB for 200 nested
 * parentheses; far less once JIT-compiled.
 *
 * <h2>Testing</h2>
 *
 * {@code CpythonDifferentialTest} compares node counts and Call positions with the machine's
 * CPython over its whole standard library ({@code -Dlg.python=...} to pick the interpreter,
 * {@code -Dlg.difftest.full=true} to compare complete tree dumps); {@code SnippetTest} holds
 * CPython 3.13's exact trees for ~115 programs covering the grammar; {@code DevDiff} is the
 * developer tool to diff one file's tree against CPython's.
 */
package dev.loopguard.python.parse;
