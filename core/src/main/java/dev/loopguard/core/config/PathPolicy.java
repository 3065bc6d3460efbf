package dev.loopguard.core.config;

import dev.loopguard.core.analysis.PathGlob;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Priority;

/**
 * How findings under the paths matching {@code glob} are reported.
 *
 * @param glob path glob, relative to the project root
 * @param report true: report findings here even in do-not-flag contexts (tests, scripts,
 *     startup code); false: never report findings here; null: as usual
 * @param priority report findings here at this priority, or null
 * @param minConfidence report only findings here at this confidence or surer, or null
 */
public record PathPolicy(String glob, Boolean report, Priority priority, Confidence minConfidence) {
  public boolean matches(String relativePath) {
    return PathGlob.compile(glob).matches(relativePath);
  }
}
