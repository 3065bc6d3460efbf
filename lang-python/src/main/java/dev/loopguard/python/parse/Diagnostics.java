package dev.loopguard.python.parse;

import dev.loopguard.python.ast.ParseResult.SyntaxError;
import java.util.ArrayList;
import java.util.List;

/** Collects syntax errors for one parse, capped so that a garbage file cannot flood memory. */
final class Diagnostics {
  static final String SYNTAX = "syntax-error";
  static final String TOO_DEEP = "too-deep";
  static final int MAX_ERRORS = 1000;

  final List<SyntaxError> errors = new ArrayList<>();
  private boolean capped;

  void add(int line, int col, String kind, String message) {
    if (errors.size() >= MAX_ERRORS) {
      if (!capped) {
        capped = true;
        errors.add(new SyntaxError(line, col, SYNTAX, "too many syntax errors, further errors suppressed"));
      }
      return;
    }
    errors.add(new SyntaxError(line, col, kind, message));
  }
}
