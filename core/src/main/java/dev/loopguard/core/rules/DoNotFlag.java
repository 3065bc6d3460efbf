package dev.loopguard.core.rules;

import dev.loopguard.core.analysis.Heat;
import dev.loopguard.core.analysis.PathKinds;
import dev.loopguard.core.ir.CallSite;
import dev.loopguard.core.ir.FunctionIr;

/** The do-not-flag contexts every rule shares: tests, scripts, command lines, start-up. */
public final class DoNotFlag {
  private DoNotFlag() {}

  /**
   * The do-not-flag context code at {@code path} in {@code function} stands in, inside
   * {@code loop} (null: none): its path's kind (test, script), a main guard (script), or what its
   * heat says (start-up, command line; a script's loop that serves forever is judged); null for
   * code the rules judge.
   */
  public static String contextOf(PathKinds paths, String path, FunctionIr function, Heat heat,
      CallSite.LoopKind loop) {
    String excluded = paths.kindOf(path);
    if (excluded == null && function.hasFlag(FunctionIr.Flag.MAIN_GUARD)) {
      excluded = "script";
    }
    if (excluded == null) {
      excluded = heat.excludedAs(loop);
    }
    return excluded;
  }
}
