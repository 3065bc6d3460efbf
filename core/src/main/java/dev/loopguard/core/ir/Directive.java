package dev.loopguard.core.ir;

/**
 * A comment that may speak to loopguard (suppressions such as {@code loopguard: ignore[...]} or
 * {@code noqa}, fixture expectations). Frontends report every comment whose text contains
 * {@code loopguard}, {@code noqa}, {@code expect} or {@code ok:}, without the comment prefix.
 *
 * @param line 1-based line of the comment
 * @param text the comment text after the comment marker, trimmed
 * @param ownLine the comment is alone on its line (no code before it)
 */
public record Directive(int line, String text, boolean ownLine) {}
