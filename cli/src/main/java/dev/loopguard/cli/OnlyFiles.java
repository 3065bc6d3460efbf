package dev.loopguard.cli;

import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.result.UnusedSuppression;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code scan --only FILE...}: the project is scanned as a whole (so calls into unchanged files
 * are resolved and judged as usual), and what is reported is narrowed to these files: findings
 * located in one of them or whose chain goes through one (a helper edited to block reaches the
 * async function that calls it), and diagnostics and unused suppressions in them. This is what a
 * pre-commit hook hands over: the changed files.
 */
public final class OnlyFiles implements Pipeline.Scope {
  private final Set<String> paths;

  private OnlyFiles(Set<String> paths) {
    this.paths = paths;
  }

  /**
   * The files, relative to the scan root with {@code /} separators.
   *
   * @throws IllegalArgumentException for a file that does not exist or lies outside the root
   */
  public static OnlyFiles of(List<Path> files, Path cwd, Path root) {
    Set<String> out = new LinkedHashSet<>();
    Path r = root.toAbsolutePath().normalize();
    for (Path f : files) {
      Path abs = cwd.resolve(f).toAbsolutePath().normalize();
      if (!Files.exists(abs)) {
        throw new IllegalArgumentException("--only " + f + ": no such file");
      }
      if (!abs.startsWith(r)) {
        throw new IllegalArgumentException("--only " + f + ": outside the project root " + r);
      }
      out.add(r.relativize(abs).toString().replace('\\', '/'));
    }
    return new OnlyFiles(Set.copyOf(out));
  }

  /** Whether a path relative to the root is one of the files, or lies in one of them (a folder). */
  boolean covers(String path) {
    if (paths.contains(path) || paths.contains("")) {
      return true;
    }
    for (String p : paths) {
      if (path.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  boolean involves(Finding f) {
    if (covers(f.path())) {
      return true;
    }
    for (ChainHop hop : f.chain()) {
      if (hop.path() != null && covers(hop.path())) {
        return true;
      }
    }
    return false;
  }

  /** The result narrowed to these files. */
  @Override
  public ScanResult narrow(ScanResult r) {
    return r.withFindings(r.findings().stream().filter(this::involves).toList(),
            r.suppressed().stream().filter(this::involves).toList())
        .withDiagnostics(r.diagnostics().stream().filter(d -> covers(d.path())).toList());
  }

  @Override
  public List<UnusedSuppression> narrowUnused(List<UnusedSuppression> unused) {
    return unused == null ? null : unused.stream().filter(u -> covers(u.path())).toList();
  }
}
