package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.Analysis;
import dev.loopguard.core.analysis.PathKinds;
import java.util.Set;

/**
 * What a rule sees: the finished analysis, how paths are classified, and which do-not-flag
 * contexts ({@code test}, {@code script}, {@code cli}, {@code startup}) the user asked to include.
 */
public record RuleContext(Analysis analysis, PathKinds paths, Set<String> includeContexts) {}
