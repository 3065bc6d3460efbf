package dev.loopguard.core.runtime;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads evidence files: loopguard's JSON Lines, or any log in which a known format recognises
 * events (a log may hold several formats, e.g. an application log with the event loop's own warnings).
 */
public final class EvidenceFiles {
  private final List<EvidenceParser> parsers;

  /** {@code parsers}: the formats of the frontends; loopguard's own is always known. */
  public EvidenceFiles(List<EvidenceParser> parsers) {
    List<EvidenceParser> all = new ArrayList<>();
    all.add(new LoopguardEvents());
    all.addAll(parsers);
    this.parsers = List.copyOf(all);
  }

  /** What one file held: its events and the formats that recognised them. */
  public record Read(Path file, List<RuntimeEvent> events, Set<String> formats) {}

  public Read read(Path file, String label) throws EvidenceException {
    List<String> lines;
    try {
      byte[] bytes = Files.readAllBytes(file);
      lines = decode(bytes).lines().toList();
    } catch (NoSuchFileException e) {
      throw new EvidenceException(label + ": no such evidence file");
    } catch (IOException e) {
      throw new EvidenceException(label + ": cannot read the evidence file (" + e.getMessage() + ")");
    }
    String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse(null);
    if (first == null) {
      return new Read(file, List.of(), Set.of("empty"));
    }
    List<RuntimeEvent> events = new ArrayList<>();
    Set<String> formats = new LinkedHashSet<>();
    if (LoopguardEvents.looksLikeOurs(first)) {
      events.addAll(parsers.get(0).parse(lines, label));
      formats.add(parsers.get(0).name());
      return new Read(file, List.copyOf(events), formats);
    }
    for (EvidenceParser p : parsers.subList(1, parsers.size())) {
      List<RuntimeEvent> found = p.parse(lines, label);
      if (!found.isEmpty()) {
        events.addAll(found);
        formats.add(p.name());
      }
    }
    if (events.isEmpty()) {
      throw new EvidenceException(label + ": no event in a known format (known: "
          + parsers.stream().map(EvidenceParser::description).collect(Collectors.joining(", ")) + ")");
    }
    events.sort((a, b) -> Integer.compare(a.sourceLine(), b.sourceLine()));
    return new Read(file, List.copyOf(events), formats);
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }
}
