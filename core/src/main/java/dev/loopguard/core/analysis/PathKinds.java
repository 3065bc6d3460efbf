package dev.loopguard.core.analysis;

import java.util.ArrayList;
import java.util.List;

/** Classifies files by path: test code, scripts, or ordinary code. */
public final class PathKinds {
  private final List<PathGlob> tests = new ArrayList<>();
  private final List<PathGlob> scripts = new ArrayList<>();

  public PathKinds(List<String> testGlobs, List<String> scriptGlobs) {
    testGlobs.forEach(g -> tests.add(PathGlob.compile(g)));
    scriptGlobs.forEach(g -> scripts.add(PathGlob.compile(g)));
  }

  /** {@code test}, {@code script}, or null for ordinary code. */
  public String kindOf(String relativePath) {
    for (PathGlob g : tests) {
      if (g.matches(relativePath)) {
        return "test";
      }
    }
    for (PathGlob g : scripts) {
      if (g.matches(relativePath)) {
        return "script";
      }
    }
    return null;
  }
}
