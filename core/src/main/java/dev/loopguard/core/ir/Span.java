package dev.loopguard.core.ir;

/**
 * A region of a source file. Lines and columns are 1-based; columns count characters (UTF-16
 * code units) from the start of the line; {@code endColumn} is exclusive (the column just after
 * the last character), as in SARIF.
 */
public record Span(int line, int column, int endLine, int endColumn) {
  public static final Span NONE = new Span(0, 0, 0, 0);

  public static Span of(int line, int column, int endLine, int endColumn) {
    return new Span(line, column, endLine, endColumn);
  }

  public boolean contains(int otherLine) {
    return otherLine >= line && otherLine <= endLine;
  }

  @Override
  public String toString() {
    return line + ":" + column + "-" + endLine + ":" + endColumn;
  }
}
