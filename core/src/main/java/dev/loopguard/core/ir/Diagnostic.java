package dev.loopguard.core.ir;

/**
 * A problem reading or understanding a file. The scan goes on.
 *
 * @param path path relative to the scan root, {@code /}-separated
 * @param line 1-based line, 0 when not tied to a line
 * @param column 1-based column, 0 when not tied to a column
 * @param kind short kebab-case class: {@code syntax-error}, {@code unreadable},
 *     {@code too-large}, {@code decode-error}, {@code too-deep}, {@code internal-error}
 * @param message one sentence
 */
public record Diagnostic(String path, int line, int column, String kind, String message) {}
