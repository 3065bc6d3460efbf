package dev.loopguard.python.lower;

import java.util.HashMap;

/**
 * One copy of each string the IR of a module holds. Lowering builds the same texts again and
 * again (callee texts such as {@code self.assertEqual}, qualified names, literals); sharing them
 * keeps the IR of a large tree about a fifth smaller and the collector's work with it.
 */
final class StringTable {
  private final HashMap<String, String> strings = new HashMap<>(1024);

  String of(String s) {
    if (s == null) {
      return null;
    }
    String old = strings.putIfAbsent(s, s);
    return old != null ? old : s;
  }
}
