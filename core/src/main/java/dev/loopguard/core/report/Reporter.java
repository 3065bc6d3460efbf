package dev.loopguard.core.report;

import java.io.IOException;
import java.io.Writer;

/** Renders a report in one format. */
public interface Reporter {
  /** Format name as used by {@code --format}. */
  String format();

  void write(Report report, Writer out) throws IOException;
}
