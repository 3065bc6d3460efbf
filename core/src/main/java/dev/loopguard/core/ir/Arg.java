package dev.loopguard.core.ir;

/**
 * One argument of a call. {@code keyword} is null for a positional argument, the keyword name
 * for a keyword argument, {@code "*"} for an unpacked sequence and {@code "**"} for an unpacked
 * mapping. {@code position} counts positional arguments only (-1 for keyword arguments).
 * {@code text} is the argument's source text, shortened to at most 80 characters, for keyword
 * arguments and for the arguments of calls in decorators; frontends may leave it null for other
 * positional and unpacked arguments (most arguments, and nothing reads their text).
 */
public record Arg(String keyword, int position, Ref value, String text) {
  public boolean isPositional() {
    return keyword == null;
  }
}
