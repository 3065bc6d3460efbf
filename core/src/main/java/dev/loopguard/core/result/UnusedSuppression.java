package dev.loopguard.core.result;

/**
 * A {@code loopguard: ignore} comment that silenced nothing in the scan.
 *
 * @param path file, relative to the scan root
 * @param line 1-based line of the comment
 * @param text the comment text
 */
public record UnusedSuppression(String path, int line, String text) {}
