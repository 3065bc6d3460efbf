package dev.loopguard.core.result;

import dev.loopguard.core.ir.ModuleIr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lowered modules behind a scan result, for reports that look at calls again (inventory,
 * unused suppressions). A scan that reused an earlier result loads them only when asked.
 */
public interface ModuleSource {
  /** The module read from {@code path}, or null. */
  ModuleIr module(String path);

  /** Every module of the scan, sorted by path. */
  List<ModuleIr> all();

  ModuleSource NONE = of(List.of());

  /** The modules of {@code modules}, all in memory. */
  static ModuleSource of(List<ModuleIr> modules) {
    Map<String, ModuleIr> byPath = new HashMap<>();
    modules.forEach(m -> byPath.put(m.path(), m));
    List<ModuleIr> sorted = modules.stream()
        .sorted(java.util.Comparator.comparing(ModuleIr::path)).toList();
    return new ModuleSource() {
      @Override
      public ModuleIr module(String path) {
        return byPath.get(path);
      }

      @Override
      public List<ModuleIr> all() {
        return sorted;
      }
    };
  }
}
