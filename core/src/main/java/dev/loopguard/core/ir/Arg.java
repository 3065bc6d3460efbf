package dev.loopguard.core.ir;

/**
 * One argument of a call. {@code keyword} is null for a positional argument, the keyword name
 * for a keyword argument, {@code "*"} for an unpacked sequence and {@code "**"} for an unpacked
 * mapping. {@code position} counts positional arguments only (-1 for keyword arguments).
 * {@code text} is the argument's source text, shortened to at most 80 characters.
 */
public record Arg(String keyword, int position, Ref value, String text) {
  public boolean isPositional() {
    return keyword == null;
  }
}
