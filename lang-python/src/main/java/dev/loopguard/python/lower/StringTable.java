package dev.loopguard.python.lower;

import dev.loopguard.core.ir.Ref;
import java.util.HashMap;

/**
 * One copy of each string and of each reference the IR of a module holds. Lowering builds the
 * same texts and names again and again (callee texts such as {@code self.assertEqual}, qualified
 * names, literals, {@code self} in every method); sharing them keeps the IR of a large tree about
 * a third smaller, and the collector's work with it. References are values: nothing tells two
 * equal ones apart.
 */
final class StringTable {
  private final HashMap<String, String> strings = new HashMap<>(1024);
  private final HashMap<Ref, Ref> refs = new HashMap<>(1024);

  String of(String s) {
    if (s == null) {
      return null;
    }
    String old = strings.putIfAbsent(s, s);
    return old != null ? old : s;
  }

  /** The module's copy of {@code r} (a variable, name, literal or attribute of one). */
  @SuppressWarnings("unchecked")
  <R extends Ref> R ref(R r) {
    Ref old = refs.putIfAbsent(r, r);
    return old != null ? (R) old : r;
  }
}
