package dev.loopguard.python.parse;

/**
 * Thrown (without a stack trace) to abandon the current statement after a syntax error has been
 * recorded. Only raised for real errors, never for control flow on valid input (the one
 * exception is the bounded speculation on {@code with (...)} items).
 */
final class ParseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ParseFailure() {
    super(null, null, false, false);
  }
}
