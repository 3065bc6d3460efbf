package dev.loopguard.core.report;

import dev.loopguard.core.engine.ScanResult;
import dev.loopguard.core.rules.Rule;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reporter renders: a scan's result, the root its paths are relative to (to show source
 * lines), the rules that ran (for their cards), and whether timing may appear in the output.
 */
public record Report(ScanResult result, Path root, List<Rule> rules, boolean timing) {}
