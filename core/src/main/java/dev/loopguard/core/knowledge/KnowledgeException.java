package dev.loopguard.core.knowledge;

/** A knowledge pack that cannot be used; the message names the pack and the problem. */
public final class KnowledgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KnowledgeException(String message) {
    super(message);
  }

  public KnowledgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
