package dev.loopguard.core.fix;

import dev.loopguard.core.ir.Span;

/**
 * Replaces the text of {@code span} by {@code text}; an empty span (start = end) inserts. Lines
 * and columns as in {@link Span}: 1-based, columns in UTF-16 code units, the end exclusive.
 */
public record TextEdit(Span span, String text) {
  public static TextEdit insert(int line, int column, String text) {
    return new TextEdit(Span.of(line, column, line, column), text);
  }
}
