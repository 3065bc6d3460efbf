package dev.loopguard.core.diff;

/** A baseline file that cannot be read or is not a loopguard baseline. */
public final class BaselineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BaselineException(String message) {
    super(message);
  }

  public BaselineException(String message, Throwable cause) {
    super(message, cause);
  }
}
