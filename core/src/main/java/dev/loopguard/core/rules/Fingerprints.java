package dev.loopguard.core.rules;

import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Stable identities for findings: rule, path, function, API and the shape of the chain (the
 * functions and calls it goes through), never line numbers. Identical keys in one file are told
 * apart by their order.
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static String key(Finding f) {
    StringBuilder sb = new StringBuilder();
    sb.append(f.rule()).append('\0').append(f.path()).append('\0').append(f.function()).append('\0')
        .append(f.subject());
    for (ChainHop h : f.chain()) {
      sb.append('\0').append(h.function()).append("->").append(h.call());
    }
    return sb.toString();
  }

  /** Returns the findings with fingerprints; they must be in source order. */
  public static List<Finding> assign(List<Finding> findings) {
    Map<String, Integer> seen = new HashMap<>();
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      String key = key(f);
      int n = seen.merge(key, 1, Integer::sum);
      out.add(f.withFingerprint(hash(key + '\0' + n)));
    }
    return out;
  }

  /** The stable id of root cause {@code key} (no line numbers in it) of rule {@code rule}. */
  public static String rootCause(String rule, String key) {
    return hash(rule + '\0' + key);
  }

  static String hash(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d = md.digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
