package dev.loopguard.core.engine;

import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.frontend.LanguageFrontend;
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
}
