package dev.loopguard.core.rules.perf004;

import dev.loopguard.core.analysis.CallGraph;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.analysis.SemanticModel;
import dev.loopguard.core.analysis.Target;
import dev.loopguard.core.frontend.LanguageSemantics;
import dev.loopguard.core.model.UndescribedCall;

import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;
import dev.loopguard.core.ir.ModuleIr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the analysis could not see: calls of APIs outside the scanned tree that no fact describes
 * (neither blocking nor known to be harmless), made on the event loop: in an async function, or
 * in a sync function of the tree that one calls on the loop. Ranked by how many event-loop
 * functions reach each API, so that the facts worth writing come first.
 *
 * <p>Awaited calls are left out (an awaited API is async), and so are APIs whose async twin makes
 * them a low-confidence finding already. APIs that are obviously harmless (builtins, string and
 * dict methods, logging, typing) are described by {@code non-blocking} facts in the packs, so they
 * never show here.
 */
final class UnknownCalls {
  // A root's walk stops after this many sync functions (a generated tree's helpers).
  private static final int MAX_FUNCTIONS_PER_ROOT = 5_000;

  private UnknownCalls() {}

  /**
   * The undescribed APIs reached from the event-loop functions of {@code analysis} whose module
   * {@code reported} accepts, most-reached first; {@code skipCall} leaves out calls that never
   * run on a hot path.
   */
  static List<UndescribedCall> of(SemanticModel model, Predicate<ModuleIr> reported) {
    Project project = model.project();
    CallGraph graph = model.graph();
    LoopBlocks loop = LoopBlocks.of(model);
    Map<String, Set<String>> rootsByApi = new HashMap<>();
    Map<String, Set<CallSite>> sitesByApi = new HashMap<>();
    Map<String, Object[]> example = new HashMap<>();
    for (ModuleIr m : project.modules()) {
      if (!reported.test(m)) {
        continue;
      }
      for (FunctionIr f : m.functions()) {
        Project.Fn fn = project.function(f.id());
        if (fn == null || fn.module() != m || !model.context().runsOnLoop(fn)) {
          continue;
        }
        Set<String> seen = new HashSet<>();
        ArrayDeque<Project.Fn> work = new ArrayDeque<>();
        seen.add(fn.id());
        work.add(fn);
        while (!work.isEmpty() && seen.size() <= MAX_FUNCTIONS_PER_ROOT) {
          Project.Fn cur = work.poll();
          for (CallSite cs : project.callsIn(cur.id())) {
            if (model.skipped(cs) || cs.awaited()) {
              continue;
            }
            for (Target t : graph.targets(cur.module(), cs)) {
              if (t instanceof Target.ProjectFunction pf) {
                Project.Fn callee = project.function(pf.id());
                if (callee != null && !callee.ir().async() && seen.add(callee.id())) {
                  work.add(callee);
                }
              } else if (t instanceof Target.Api api && api.fact() == null
                  && !api.name().startsWith("?") && loop.asyncTwin(api.name()) == null) {
                rootsByApi.computeIfAbsent(api.name(), k -> new LinkedHashSet<>()).add(fn.id());
                sitesByApi.computeIfAbsent(api.name(), k -> new HashSet<>()).add(cs);
                Object[] ex = example.get(api.name());
                String path = cur.module().path();
                int line = cs.span().line();
                if (ex == null || path.compareTo((String) ex[0]) < 0
                    || (path.equals(ex[0]) && line < (Integer) ex[1])) {
                  example.put(api.name(), new Object[] {path, line, cur.ir().qualifiedName()});
                }
              }
            }
          }
        }
      }
    }
    // Every external name called anywhere: a method of what such a call returned
    // (yaml.safe_load.keys) is named after the call, not after a type a user could declare.
    Set<String> called = new HashSet<>();
    for (ModuleIr m : project.modules()) {
      for (CallSite cs : m.calls()) {
        for (Target t : graph.targets(m, cs)) {
          if (t instanceof Target.Api api) {
            called.add(api.name());
          }
        }
      }
    }
    List<UndescribedCall> out = new ArrayList<>();
    for (var e : rootsByApi.entrySet()) {
      if (!declarable(e.getKey(), called, model.semantics())) {
        continue;
      }
      Object[] ex = example.get(e.getKey());
      out.add(new UndescribedCall(e.getKey(), e.getValue().size(), sitesByApi.get(e.getKey()).size(),
          (String) ex[0], (Integer) ex[1], (String) ex[2]));
    }
    out.sort(Comparator.comparingInt(UndescribedCall::roots).reversed()
        .thenComparing(Comparator.comparingInt(UndescribedCall::sites).reversed())
        .thenComparing(UndescribedCall::api));
    return out;
  }

  /**
   * Whether a user could name {@code api} in a blocking entry: a function or a class of a module,
   * or a method of a class, not a method of what another call returned, of a member the language
   * reserves (an item read, an operator), or of an attribute of an instance
   * ({@code Update.message.reply}).
   */
  static boolean declarable(String api, Set<String> called, LanguageSemantics semantics) {
    int dot = api.lastIndexOf('.');
    if (dot <= 0) {
      return false;
    }
    String owner = api.substring(0, dot);
    String ownerLast = owner.substring(owner.lastIndexOf('.') + 1);
    if (called.contains(owner) && !(ownerLast.length() > 0 && Character.isUpperCase(ownerLast.charAt(0)))) {
      return false; // a method of what a function returned; a class's instances are fine
    }
    String[] parts = api.split("\\.");
    int cls = -1;
    for (int i = 0; i < parts.length; i++) {
      if (semantics.isReservedMember(parts[i])) {
        return false;
      }
      if (!parts[i].isEmpty() && Character.isUpperCase(parts[i].charAt(0))) {
        cls = i;
      }
    }
    return cls < 0 || parts.length - cls <= 2;
  }
}
