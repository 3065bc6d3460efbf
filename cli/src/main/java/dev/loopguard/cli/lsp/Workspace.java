package dev.loopguard.cli.lsp;

import dev.loopguard.core.config.Settings;
import dev.loopguard.core.engine.FileWalker;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.ModuleCache;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.model.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The project an editor has open: its folder, the settings its configuration file gives, the
 * text of the files the editor holds (unsaved edits included), and what the last analysis found.
 * An analysis runs the shared pipeline over the files on disk with the editor's texts laid over
 * them; lowered modules are kept between analyses (and files read from disk are kept until they
 * change), so that after an edit only the edited file is lowered again before the project is
 * analysed. Open texts are set from any thread; analyses run one at a time.
 */
final class Workspace {
  /** What one analysis found, with the texts it read (to place edits against the same text). */
  record Analysis(Map<String, List<Finding>> findingsByPath, Map<String, String> texts, long millis,
      int files) {
    List<Finding> findings(String path) {
      return findingsByPath.getOrDefault(path, List.of());
    }
  }

  private record DiskFile(long modified, long size, byte[] content) {}

  private final Path root;
  private final Knowledge knowledge;
  private final Map<String, String> open = new ConcurrentHashMap<>();
  private final Map<String, DiskFile> disk = new HashMap<>();
  private final ModuleCache modules = new ModuleCache();
  private volatile Pipeline pipeline;

  Workspace(Path root, Knowledge knowledge) {
    this.root = root.toAbsolutePath().normalize();
    this.knowledge = knowledge;
  }

  Path root() {
    return root;
  }

  /** The path of {@code file} relative to the root ({@code /}-separated), or null outside it. */
  String relative(Path file) {
    Path f = file.toAbsolutePath().normalize();
    if (!f.startsWith(root) || f.equals(root)) {
      return null;
    }
    return root.relativize(f).toString().replace('\\', '/');
  }

  /** The editor holds {@code text} for {@code path} (relative to the root). */
  void setText(String path, String text) {
    String before = open.put(path, text);
    if (before != null && !before.equals(text)) {
      modules.forget(path);
    }
  }

  /** The editor closed {@code path}: its content is the file's on disk again. */
  void close(String path) {
    open.remove(path);
  }

  /** The text the editor holds for {@code path}, or null. */
  String text(String path) {
    return open.get(path);
  }

  /** Whether a saved or changed file is a configuration file (the settings are read again). */
  boolean isConfiguration(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.equals("loopguard.toml")) {
      return true;
    }
    return settings().frontends().stream().anyMatch(f -> f.configFiles().containsKey(name));
  }

  /** Reads the configuration again at the next analysis. */
  void configurationChanged() {
    pipeline = null;
  }

  /** The frontend that reads {@code path}, or null. */
  LanguageFrontend frontendOf(String path) {
    for (LanguageFrontend f : settings().frontends()) {
      for (String ext : f.extensions()) {
        if (path.endsWith(ext)) {
          return f;
        }
      }
    }
    return null;
  }

  Settings settings() {
    return pipeline().settings();
  }

  private Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) {
      List<LanguageFrontend> frontends = Frontends.all();
      Settings settings = Settings.resolve(frontends, root, List.of(root), Settings.Overrides.none());
      p = new Pipeline(settings, knowledge);
      pipeline = p;
    }
    return p;
  }

  /** Analyses the project as the editor sees it. */
  synchronized Analysis analyse() {
    long start = System.nanoTime();
    Pipeline p = pipeline();
    Settings settings = p.settings();
    Map<String, String> texts = new LinkedHashMap<>(open);
    Map<String, byte[]> files = new HashMap<>();
    FileWalker walker = p.scanner().walker(root, settings.options());
    List<String> seen = new ArrayList<>();
    for (FileWalker.Found f : walker.walk(List.of(root))) {
      seen.add(f.relative());
      byte[] content = texts.containsKey(f.relative())
          ? texts.get(f.relative()).getBytes(StandardCharsets.UTF_8) : fromDisk(f.relative(), f.file());
      if (content != null) {
        files.put(f.relative(), content);
      }
    }
    disk.keySet().retainAll(seen);
    // files the editor holds that are not on disk yet (new, unsaved) belong to the project too
    texts.forEach((path, text) -> files.putIfAbsent(path, text.getBytes(StandardCharsets.UTF_8)));
    Pipeline.Outcome outcome = p.scan(files, modules);
    Map<String, List<Finding>> byPath = new LinkedHashMap<>();
    for (Finding f : outcome.reported().findings()) {
      byPath.computeIfAbsent(f.path(), k -> new ArrayList<>()).add(f);
    }
    return new Analysis(byPath, texts, (System.nanoTime() - start) / 1_000_000, files.size());
  }

  /** The file's content from disk, read again only when its size or time changed; null if unreadable. */
  private byte[] fromDisk(String relative, Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      DiskFile d = disk.get(relative);
      if (d != null && d.modified() == a.lastModifiedTime().toMillis() && d.size() == a.size()) {
        return d.content();
      }
      byte[] content = Files.readAllBytes(file);
      disk.put(relative, new DiskFile(a.lastModifiedTime().toMillis(), a.size(), content));
      modules.forget(relative);
      return content;
    } catch (IOException e) {
      disk.remove(relative);
      return null;
    }
  }
}
