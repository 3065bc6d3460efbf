package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.Arg;
import dev.loopguard.core.ir.Binding;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.ClassIr;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import dev.loopguard.core.ir.Ref;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The modules that the analysis of some lowered modules may look up, so that a scan can leave
 * other files unlowered ({@link ModuleIr#isOutline() outlines}) and still analyse the lowered ones
 * as if every file were lowered. {@link Values} finds a project module only by name: a dotted
 * name's prefixes ({@link Ref.QName}, e.g. an import's), a star import's module, or a module's
 * attribute (a submodule, {@code package.sub}). Every name of the first two kinds and every
 * attribute name the lowered modules' references hold is collected here; a module is needed when
 * it has one of those names, or is a submodule, named by an attribute, of a lowered module.
 *
 * <p>Not thread-safe.
 */
public final class ModuleLookups {
  private final Set<String> names = new HashSet<>();
  private final Set<String> attributes = new HashSet<>();
  private final Set<String> lowered = new HashSet<>();
  // What the candidates' names start and end with: a dotted name whose first part no candidate
  // has, or an attribute no candidate's name ends with, cannot make one needed, and is not kept
  // (a large tree's references hold millions of them). Null: every name is kept.
  private final Set<String> firsts;
  private final Set<String> lasts;

  /** Lookups that may be asked about any module. */
  public ModuleLookups() {
    this.firsts = null;
    this.lasts = null;
  }

  /** Lookups that will only be asked about {@code candidates} (by {@link #needs}). */
  public ModuleLookups(java.util.Collection<ModuleIr> candidates) {
    this.firsts = new HashSet<>();
    this.lasts = new HashSet<>();
    for (ModuleIr m : candidates) {
      keep(m.module());
      for (String a : m.aliases()) {
        keep(a);
      }
    }
  }

  private void keep(String name) {
    firsts.add(firstPart(name));
    lasts.add(name.substring(name.lastIndexOf('.') + 1));
  }

  private static String firstPart(String dotted) {
    int dot = dotted.indexOf('.');
    return dot < 0 ? dotted : dotted.substring(0, dot);
  }

  /** Adds what lowered module {@code m} may look up. */
  public void add(ModuleIr m) {
    lowered.add(m.module());
    for (String s : m.starImports()) {
      name(s);
    }
    for (FunctionIr f : m.functions()) {
      refs(f.decorators());
      for (FunctionIr.Param p : f.params()) {
        ref(p.annotation());
        ref(p.defaultValue());
      }
      ref(f.returns());
    }
    for (ClassIr c : m.classes()) {
      refs(c.bases());
      refs(c.decorators());
    }
    for (CallSite cs : m.calls()) {
      ref(cs.callee());
      for (Arg a : cs.args()) {
        ref(a.value());
      }
    }
    for (Binding b : m.bindings()) {
      ref(b.target());
      ref(b.value());
    }
  }

  /**
   * Whether the analysis of the modules added so far may look up {@code m} (by its name or one of
   * its aliases), so that it must be lowered.
   */
  public boolean needs(ModuleIr m) {
    if (lookedUp(m.module())) {
      return true;
    }
    for (String a : m.aliases()) {
      if (lookedUp(a)) {
        return true;
      }
    }
    return false;
  }

  private boolean lookedUp(String name) {
    if (names.contains(name)) {
      return true;
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 && attributes.contains(name.substring(dot + 1))
        && lowered.contains(name.substring(0, dot));
  }

  private void refs(List<Ref> refs) {
    for (Ref r : refs) {
      ref(r);
    }
  }

  private void ref(Ref r) {
    while (r instanceof Ref.Attr a) {
      if (lasts == null || lasts.contains(a.name())) {
        attributes.add(a.name());
      }
      r = a.base();
    }
    if (r instanceof Ref.QName q) {
      name(q.name());
    }
  }

  /** Adds a dotted name and its prefixes; a name is only ever added with its prefixes. */
  private void name(String name) {
    if (firsts != null && !firsts.contains(firstPart(name))) {
      return;
    }
    if (names.add(name)) {
      for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
        if (!names.add(name.substring(0, dot))) {
          break; // added with its prefixes before
        }
      }
    }
  }
}
