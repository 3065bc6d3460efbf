package dev.loopguard.cli;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.fix.FixOutcome;
import dev.loopguard.core.fix.FixSite;
import dev.loopguard.core.fix.TextEdits;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loopguard fix [--diff] [PATH...]}: scans, then applies the rewrites each file's frontend
 * proposes for the reported findings (the rewrites that keep the code's meaning), or prints them
 * as a unified diff.
 */
@Command(name = "fix", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Rewrite the blocking calls that can be rewritten safely: time.sleep(x) in an async def becomes "
        + "await asyncio.sleep(x); another direct blocking call, await asyncio.to_thread(f, args...); an import "
        + "asyncio is added once. The other findings are listed with the reason they were left alone.",
        "Exit code: 0 when no finding is left, 1 when some are (with --diff: when there is something to change), "
            + "2 on errors."})
final class FixCommand implements Callable<Integer> {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Io io;

  @Parameters(paramLabel = "PATH", description = "Files or folders to scan and fix (default: the current folder).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--diff", description = "Print the changes as a unified diff and write nothing.")
  boolean diff;

  @Mixin
  ScanSpec spec = new ScanSpec();

  @Option(names = "--no-cache", description = "Neither read nor write the .loopguard_cache/ folder under the scan root.")
  boolean noCache;

  private final Knowledge knowledge;

  FixCommand(Io io, Knowledge knowledge) {
    this.io = io;
    this.knowledge = knowledge;
  }

  @Override
  public Integer call() throws IOException {
    Settings settings = spec.resolve(io, paths, null);
    ScanResult result = new Pipeline(settings, knowledge)
        .scan(new Pipeline.Request(!noCache, null, false, null, List.of(), null, n -> {}, n -> {})).reported();
    Map<String, List<FixSite>> byFile = new TreeMap<>();
    for (Finding f : result.findings()) {
      byFile.computeIfAbsent(f.path(), p -> new ArrayList<>()).add(FixSite.of(f));
    }
    int fixed = 0;
    int files = 0;
    List<String> left = new ArrayList<>();
    StringBuilder patch = new StringBuilder();
    for (Map.Entry<String, List<FixSite>> e : byFile.entrySet()) {
      String path = e.getKey();
      List<FixSite> sites = e.getValue();
      LanguageFrontend frontend = frontendOf(settings.frontends(), path);
      Path file = settings.root().resolve(path);
      byte[] bytes = Files.readAllBytes(file);
      boolean bom = startsWithBom(bytes);
      String text = decode(bytes, bom);
      FixOutcome outcome = frontend == null
          ? FixOutcome.none(sites, "no language frontend reads this file")
          : text == null ? FixOutcome.none(sites, "the file is not UTF-8 text, so it is not rewritten")
          : frontend.fixes(path, text, sites);
      for (FixOutcome.Skipped s : outcome.skipped()) {
        left.add(path + ":" + s.site().span().line() + ":" + s.site().span().column() + ": " + s.site().rule()
            + " (" + s.site().api() + ") left alone: " + s.reason());
      }
      if (outcome.edits().isEmpty()) {
        continue;
      }
      String after = TextEdits.apply(text, outcome.edits());
      if (after.equals(text)) {
        continue;
      }
      fixed += outcome.fixed().size();
      files++;
      if (diff) {
        patch.append(TextEdits.unifiedDiff(path, text, after));
      } else {
        byte[] out = after.getBytes(StandardCharsets.UTF_8);
        if (bom) {
          byte[] withBom = new byte[out.length + UTF8_BOM.length];
          System.arraycopy(UTF8_BOM, 0, withBom, 0, UTF8_BOM.length);
          System.arraycopy(out, 0, withBom, UTF8_BOM.length, out.length);
          out = withBom;
        }
        Files.write(file, out);
      }
    }
    if (diff) {
      io.out().print(patch);
      io.out().flush();
    }
    left.forEach(io.err()::println);
    io.err().println("loopguard fix: " + fixed + (fixed == 1 ? " finding" : " findings")
        + (diff ? " to fix in " : " fixed in ") + files
        + (files == 1 ? " file" : " files") + "; " + left.size() + " left alone.");
    if (diff) {
      return files > 0 ? ExitCode.FINDINGS.code() : ExitCode.OK.code();
    }
    return left.isEmpty() ? ExitCode.OK.code() : ExitCode.FINDINGS.code();
  }

  private static LanguageFrontend frontendOf(List<LanguageFrontend> frontends, String path) {
    for (LanguageFrontend f : frontends) {
      for (String ext : f.extensions()) {
        if (path.endsWith(ext)) {
          return f;
        }
      }
    }
    return null;
  }

  private static boolean startsWithBom(byte[] b) {
    return b.length >= 3 && b[0] == UTF8_BOM[0] && b[1] == UTF8_BOM[1] && b[2] == UTF8_BOM[2];
  }

  /** The text of strict UTF-8 bytes (after a byte-order mark), or null when they are not. */
  private static String decode(byte[] bytes, boolean bom) {
    try {
      int from = bom ? UTF8_BOM.length : 0;
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, bytes.length - from)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
