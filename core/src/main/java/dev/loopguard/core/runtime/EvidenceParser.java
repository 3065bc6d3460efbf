package dev.loopguard.core.runtime;

import java.util.List;

/**
 * Reads one kind of run-time evidence (a detector's log format). Frontends contribute the
 * ecosystem's formats; the core reads its own JSON Lines.
 */
public interface EvidenceParser {
  /** Short stable name used in events and messages ({@code home-assistant}). */
  String name();

  /** What the format is, for messages ({@code Home Assistant "Detected blocking call" log}). */
  String description();

  /**
   * The events in {@code lines} (a whole file), in file order; empty when none of the lines is in
   * this format. Never throws for bad input.
   */
  List<RuntimeEvent> parse(List<String> lines, String source);
}
