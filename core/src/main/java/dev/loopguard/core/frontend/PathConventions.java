package dev.loopguard.core.frontend;

import java.util.List;

/**
 * Where a language's ecosystem keeps code that is not on a hot path. Globs are matched against
 * paths relative to the scan root with {@code /} separators; {@code **} spans folders, {@code *}
 * stays inside one name. A glob without a {@code /} matches a file name at any depth.
 */
public record PathConventions(List<String> tests, List<String> scripts) {}
