package dev.loopguard.core.analysis;

import dev.loopguard.core.ir.CallSite;

/** Which calls never run on a hot path, for every stage that walks calls made on the loop. */
public final class HotPaths {
  private HotPaths() {}

  /** Calls under a main guard or only made for type checkers never run on a hot path. */
  public static boolean neverHot(CallSite cs) {
    return cs.hasFlag(CallSite.CallFlag.MAIN_GUARD) || cs.hasFlag(CallSite.CallFlag.TYPE_CHECKING_ONLY);
  }
}
