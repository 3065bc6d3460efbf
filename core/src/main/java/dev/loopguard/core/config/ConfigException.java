package dev.loopguard.core.config;

/**
 * A configuration problem: a bad file, an unknown key or a bad value. The message names the file
 * and the key, or the command-line option.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
