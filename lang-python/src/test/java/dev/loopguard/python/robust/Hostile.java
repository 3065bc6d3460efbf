package dev.loopguard.python.robust;

import dev.loopguard.core.frontend.Frontends;
import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.config.ScanOptions;
import dev.loopguard.core.result.ScanResult;
import dev.loopguard.core.engine.Scanner;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.knowledge.FactIndex;
import dev.loopguard.core.rules.Rules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/** Shared set-up for the robustness tests: a scanner over the real frontends and knowledge. */
final class Hostile {
  static final List<LanguageFrontend> FRONTENDS = Frontends.all();
  static final FactIndex FACTS = new Knowledge(FRONTENDS).load(List.of(), Set.of());

  /** A well-formed file with one known finding: {@code time.sleep} in an async handler, line 4. */
  static final String GOOD = "import time\n\nasync def handler():\n    time.sleep(1)\n";

  private Hostile() {}

  static Scanner scanner() {
    return new Scanner(FRONTENDS, FACTS, Rules.all());
  }

  static ScanOptions options(Path root, int threads) {
    return ScanOptions.of(root).withThreads(threads);
  }

  static ScanResult scan(Path root) {
    return scanner().scan(options(root, 2));
  }

  static ScanResult scan(Path root, IntConsumer total) {
    return scanner().scan(options(root, 2), n -> {}, total);
  }

  /** Writes the good file at {@code app/good.py}. */
  static void good(Path root) throws IOException {
    write(root.resolve("app/good.py"), GOOD);
  }

  static void write(Path file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  /** {@code s} repeated {@code n} times. */
  static String rep(String s, int n) {
    return s.repeat(n);
  }
}
