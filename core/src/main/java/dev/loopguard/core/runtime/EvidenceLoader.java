package dev.loopguard.core.runtime;

import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.model.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scan --evidence}: reads evidence files in the formats loopguard and the frontends know,
 * and joins their events to a scan's findings ({@link EvidenceJoin}).
 */
public final class EvidenceLoader {
  private final List<LanguageFrontend> frontends;
  private final Path root;
  private final FactIndex facts;
  private final String ruleId;

  public EvidenceLoader(List<LanguageFrontend> frontends, Path root, FactIndex facts, String ruleId) {
    this.frontends = List.copyOf(frontends);
    this.root = root.toAbsolutePath().normalize();
    this.facts = facts;
    this.ruleId = ruleId;
  }

  /** The events of the files, in order; a file in no known format is an error. */
  public List<EvidenceFiles.Read> read(List<Path> files, Path cwd) throws EvidenceException {
    List<EvidenceParser> parsers = new ArrayList<>();
    for (LanguageFrontend f : frontends) {
      parsers.addAll(f.evidenceParsers());
    }
    EvidenceFiles reader = new EvidenceFiles(parsers);
    List<EvidenceFiles.Read> out = new ArrayList<>();
    for (Path p : files) {
      out.add(reader.read(cwd.resolve(p), p.toString().replace('\\', '/')));
    }
    return out;
  }

  /** Joins the events of {@code reads} to reported {@code findings} (see {@link EvidenceJoin}). */
  public EvidenceJoin.Joined join(List<Finding> findings, List<Finding> unreported,
      List<EvidenceFiles.Read> reads) {
    List<RuntimeEvent> events = new ArrayList<>();
    reads.forEach(r -> events.addAll(r.events()));
    EvidenceJoin join = new EvidenceJoin(ruleId, new SourceMap(root), this::moduleOf, facts::lookup);
    return join.join(findings, unreported, events);
  }

  private String moduleOf(String relativePath) {
    for (LanguageFrontend f : frontends) {
      for (String ext : f.extensions()) {
        if (relativePath.endsWith(ext)) {
          return f.moduleName(relativePath, rel -> Files.exists(root.resolve(rel)));
        }
      }
    }
    return null;
  }
}
