package dev.loopguard.core.engine;

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
}
