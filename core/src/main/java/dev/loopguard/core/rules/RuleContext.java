package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.analysis.SemanticModel;
import java.util.Set;

/**
 * What a rule sees: the semantic model of the scanned project, how paths are classified, and
 * which do-not-flag contexts ({@code test}, {@code script}, {@code cli}, {@code startup}) the
 * user asked to include.
 */
public record RuleContext(SemanticModel model, PathKinds paths, Set<String> includeContexts) {}
