package dev.loopguard.cli.lsp;

import dev.loopguard.core.fix.TextEdit;
import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/** How a finding looks in an editor: a diagnostic, a hover text, the range of an edit. */
final class Findings {
  static final String SOURCE = "loopguard";

  private Findings() {}

  /**
   * The severity of a finding: an error when it is sure (high confidence) and hot (P0 or P1), a
   * warning when it is sure or probable, information when it rests on code outside the project.
   */
  static DiagnosticSeverity severity(Finding f) {
    if (f.confidence() == Confidence.LOW) {
      return DiagnosticSeverity.Information;
    }
    if (f.confidence() == Confidence.HIGH && (f.priority() == Priority.P0 || f.priority() == Priority.P1)) {
      return DiagnosticSeverity.Error;
    }
    return DiagnosticSeverity.Warning;
  }

  static Diagnostic diagnostic(Finding f, Path root) {
    Diagnostic d = new Diagnostic(range(f.span()), f.message(), severity(f), SOURCE, f.rule());
    List<DiagnosticRelatedInformation> related = new ArrayList<>();
    for (ChainHop h : f.chain()) {
      Range r = range(Span.of(h.line(), h.column(), h.line(), h.column()));
      related.add(new DiagnosticRelatedInformation(new Location(uri(root, h.path()), r), step(h)));
    }
    if (!related.isEmpty()) {
      d.setRelatedInformation(related);
    }
    return d;
  }

  /** The hover text of a finding: what, how sure and how hot, the chain, the fix (Markdown). */
  static String hover(Finding f) {
    StringBuilder sb = new StringBuilder();
    sb.append("**").append(f.rule()).append("** (").append(f.confidence().name().toLowerCase(java.util.Locale.ROOT))
        .append(" confidence, ").append(f.priority().name()).append("): ").append(f.message()).append("\n");
    if (!f.chain().isEmpty()) {
      sb.append("\nChain:\n");
      int i = 1;
      for (ChainHop h : f.chain()) {
        sb.append(i++).append(". `").append(h.path()).append(':').append(h.line()).append("` ")
            .append(step(h)).append("\n");
      }
    }
    if (f.context() != null) {
      sb.append("\nContext: ").append(f.context()).append("\n");
    }
    if (f.remediation() != null) {
      sb.append("\nFix: ").append(f.remediation()).append("\n");
    }
    return sb.toString();
  }

  private static String step(ChainHop h) {
    return h.function() == null ? String.valueOf(h.call())
        : h.function() + (h.call() == null ? "" : ": " + h.call());
  }

  /** The LSP range of a 1-based span (columns in UTF-16 code units, end exclusive). */
  static Range range(Span s) {
    int line = Math.max(0, s.line() - 1);
    int col = Math.max(0, s.column() - 1);
    int endLine = s.endLine() <= 0 ? line : s.endLine() - 1;
    int endCol = s.endColumn() <= 0 ? col : s.endColumn() - 1;
    if (endLine < line || (endLine == line && endCol < col)) {
      endLine = line;
      endCol = col;
    }
    return new Range(new Position(line, col), new Position(endLine, endCol));
  }

  static org.eclipse.lsp4j.TextEdit edit(TextEdit e) {
    return new org.eclipse.lsp4j.TextEdit(range(e.span()), e.text());
  }

  /** Whether {@code a} and {@code b} share a position (touching counts). */
  static boolean overlaps(Range a, Range b) {
    return !before(a.getEnd(), b.getStart()) && !before(b.getEnd(), a.getStart());
  }

  static boolean before(Position a, Position b) {
    return a.getLine() < b.getLine() || (a.getLine() == b.getLine() && a.getCharacter() < b.getCharacter());
  }

  static String uri(Path root, String relative) {
    return root.resolve(relative).toUri().toString();
  }
}
