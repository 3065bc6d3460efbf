package dev.loopguard.core.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The rules available at run time, found with {@link ServiceLoader}. */
public final class Rules {
  private Rules() {}

  public static List<Rule> all() {
    List<Rule> out = new ArrayList<>();
    for (Rule r : ServiceLoader.load(Rule.class, Rules.class.getClassLoader())) {
      out.add(r);
    }
    out.sort(Comparator.comparing(Rule::id));
    return out;
  }

  public static Rule byId(String id) {
    for (Rule r : all()) {
      if (r.id().equalsIgnoreCase(id)) {
        return r;
      }
    }
    return null;
  }
}
