package dev.loopguard.core.frontend;

import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.frontend.LanguageFrontend;
import dev.loopguard.core.frontend.LanguageSemantics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The language frontends on the class path, found with {@link ServiceLoader}. */
public final class Frontends {
  private Frontends() {}

  public static List<LanguageFrontend> all() {
    List<LanguageFrontend> out = new ArrayList<>();
    for (LanguageFrontend f : ServiceLoader.load(LanguageFrontend.class, Frontends.class.getClassLoader())) {
      out.add(f);
    }
    out.sort(Comparator.comparing(LanguageFrontend::id));
    return out;
  }

  /** Test and script locations by the conventions of {@code frontends}. */
  public static PathKinds pathKinds(List<LanguageFrontend> frontends) {
    List<String> tests = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    for (LanguageFrontend fe : frontends) {
      tests.addAll(fe.conventions().tests());
      scripts.addAll(fe.conventions().scripts());
    }
    return new PathKinds(tests, scripts);
  }

  /**
   * The language semantics the semantic model uses: the frontend's when there is one, else none.
   * A project of several languages uses the first frontend's (their modules do not call each
   * other's code today).
   */
  public static LanguageSemantics semantics(List<LanguageFrontend> frontends) {
    return frontends.isEmpty() ? LanguageSemantics.NONE : frontends.get(0).semantics();
  }
}
