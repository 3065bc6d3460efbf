package dev.loopguard.core.frontend;

import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.runtime.EvidenceParser;
import dev.loopguard.core.runtime.RuntimeBootstrap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A language behind loopguard's core. Implementations are found with {@link
 * java.util.ServiceLoader}; the core knows none of them by name.
 *
 * <p>Implementations must be thread-safe: {@link #lower} is called for many files at once.
 */
public interface LanguageFrontend {

  /** Short stable id, e.g. {@code python}. */
  String id();

  /** File name endings this frontend reads, with the dot: {@code .py}. */
  List<String> extensions();

  /** The line comment marker: {@code #}, {@code //}. */
  String lineCommentPrefix();

  /** Class-path resources of the knowledge packs this frontend ships (YAML). */
  List<String> knowledgePacks();

  /** Test and script locations by the ecosystem's conventions. */
  PathConventions conventions();

  /**
   * Folder names that hold tooling or third-party code and are skipped by the walker (e.g. a
   * virtualenv), in addition to the core's own list.
   */
  default List<String> ignoredDirectories() {
    return List.of();
  }

  /**
   * File names whose presence marks a folder as tooling to skip (e.g. a virtualenv's
   * {@code pyvenv.cfg}).
   */
  default List<String> ignoredDirectoryMarkers() {
    return List.of();
  }

  /**
   * Whether a comment in the ecosystem's own suppression syntax (e.g. a linter's "no quality
   * assurance" comment with codes) silences rule {@code ruleId} on its line: it names no code, the
   * rule's id, or a code of another tool that the rule claims ({@code claimedCode}, from the
   * rule's card). {@code text} is the comment without its marker. loopguard's own
   * {@code loopguard: ignore[...]} is handled by the core.
   */
  default boolean suppressesForeign(String text, String ruleId, Predicate<String> claimedCode) {
    return false;
  }

  /**
   * The ecosystem's project files that may hold loopguard's configuration as a TOML table: file
   * name to dotted table path (e.g. a build file with a {@code tool.loopguard} table). The core
   * reads {@code loopguard.toml} (keys at the top level) for every language; these come second.
   */
  default Map<String, String> configFiles() {
    return Map.of();
  }

  /**
   * The dotted module name of the file at {@code relativePath} ({@code /}-separated), as code in
   * the same project would import it. {@code exists} answers whether another relative path exists
   * in the scanned tree (to find package roots).
   */
  String moduleName(String relativePath, Predicate<String> exists);

  /** Other names the module may be imported as, possibly empty. */
  default List<String> moduleAliases(String relativePath, Predicate<String> exists) {
    return List.of();
  }

  /**
   * The namer of the modules of one scan, made once before any file is read. By default it
   * asks {@link #moduleName} and {@link #moduleAliases} with {@code files.exists()}.
   */
  default ModuleNamer moduleNamer(ProjectFiles files) {
    LanguageFrontend self = this;
    return new ModuleNamer() {
      @Override
      public String name(String relativePath) {
        return self.moduleName(relativePath, files.exists());
      }

      @Override
      public List<String> aliases(String relativePath) {
        return self.moduleAliases(relativePath, files.exists());
      }
    };
  }

  /**
   * Reads one file into the IR. Never throws for bad input: syntax and decoding problems become
   * diagnostics in the returned IR, with whatever could be recovered.
   */
  ModuleIr lower(SourceFile file);

  /**
   * Reads as little of one file as a scan needs while it does not analyse the file's code (test
   * and script files whose findings are not reported): an {@link ModuleIr#outline outline} with
   * the file's line count and nothing from its code, so no diagnostics either. The scan lowers
   * the file after all when lowered code refers to its module. Never throws for bad input. By
   * default the file is lowered (correct, only slower).
   */
  default ModuleIr outline(SourceFile file) {
    return lower(file);
  }

  /** What the semantic model must know of the language (constructors, call members, ...). */
  default LanguageSemantics semantics() {
    return LanguageSemantics.NONE;
  }

  /**
   * The text edits that fix some of {@code sites} (findings in the file at {@code path}, whose
   * decoded text is {@code text}) by rewrites that keep the code's meaning, and the reason for
   * each site left alone. {@code loopguard fix} applies the edits; a frontend that proposes none
   * (the default) leaves every site alone. Edits must not overlap.
   */
  default FixOutcome fixes(String path, String text, List<FixSite> sites) {
    return FixOutcome.none(sites, "no automatic fix for " + id() + " files");
  }

  /**
   * How {@code loopguard runtime} instruments a child process of this language (files put first
   * on a search path, which detect blocking calls on event loops and write the events), or empty
   * when the language has no runtime detector.
   */
  default Optional<RuntimeBootstrap> runtimeBootstrap() {
    return Optional.empty();
  }

  /** Log formats of the ecosystem's own detectors that {@code scan --evidence} reads. */
  default List<EvidenceParser> evidenceParsers() {
    return List.of();
  }
}
