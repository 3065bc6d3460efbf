package dev.loopguard.python.ast;

import java.util.List;

/**
 * What the parser hands back for one file: the tree (with every statement it could recover), the
 * syntax errors it met, the file's comments, its line count and, when the lexer read to the end,
 * the offset where each line starts (else null).
 */
public record ParseResult(Ast.Mod module, List<SyntaxError> errors, List<Comment> comments,
    int lines, int[] lineStarts) {

  public ParseResult(Ast.Mod module, List<SyntaxError> errors, List<Comment> comments, int lines) {
    this(module, errors, comments, lines, null);
  }

  /** A syntax error; line is 1-based, column 0-based. {@code kind}: syntax-error or too-deep. */
  public record SyntaxError(int line, int col, String kind, String message) {}

  /** A comment: 1-based line, 0-based column of {@code #}, text after {@code #}, whether code precedes it on its line. */
  public record Comment(int line, int col, String text, boolean afterCode) {}
}
