package dev.loopguard.core.runtime;

/** An evidence file that cannot be read or is in no known format. */
public final class EvidenceException extends Exception {
  public EvidenceException(String message) {
    super(message);
  }
}
