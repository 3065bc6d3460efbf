package dev.loopguard.cli;

import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.RuleCard;
import dev.loopguard.core.rules.Rules;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code loopguard explain RULE}: prints a rule's card. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Show a rule's card.")
final class ExplainCommand implements Callable<Integer> {
  private final Io io;

  @Parameters(paramLabel = "RULE", description = "Rule id (loopguard rules lists them).")
  String ruleId;

  ExplainCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Rule rule = Rules.byId(ruleId);
    if (rule == null) {
      io.err().println("loopguard: no rule '" + ruleId + "'; 'loopguard rules' lists them.");
      return ExitCode.ERROR.code();
    }
    print(rule.card(), io.out());
    io.out().flush();
    return ExitCode.OK.code();
  }

  static void print(RuleCard c, PrintStream out) {
    out.println(c.id() + ": " + c.title());
    out.println();
    out.println(wrap(c.intent(), ""));
    section(out, "Applies when", c.appliesWhen());
    section(out, "Passes when", c.passesWhen());
    section(out, "Fails when", c.failsWhen());
    section(out, "Unknown when", c.unknownWhen());
    section(out, "Do not flag", c.doNotFlag());
    map(out, "Confidence", c.confidence());
    map(out, "Priority", c.priority());
    section(out, "Remediation", c.remediation());
    if (c.examples() != null && !c.examples().isEmpty()) {
      out.println();
      out.println("Examples");
      for (RuleCard.Example e : c.examples()) {
        out.println();
        out.println("  " + e.verdict().toUpperCase(java.util.Locale.ROOT) + " (" + e.language() + ")"
            + (e.title() != null ? ": " + e.title() : ""));
        for (String line : e.code().split("\n")) {
          out.println("    " + line);
        }
      }
    }
    section(out, "References", c.references());
  }

  private static void section(PrintStream out, String title, List<String> items) {
    if (items == null || items.isEmpty()) {
      return;
    }
    out.println();
    out.println(title);
    for (String i : items) {
      out.println(wrap(i, "  - "));
    }
  }

  private static void map(PrintStream out, String title, Map<String, String> items) {
    if (items == null || items.isEmpty()) {
      return;
    }
    out.println();
    out.println(title);
    items.forEach((k, v) -> out.println(wrap(v, "  " + k + ": ")));
  }

  private static String wrap(String text, String prefix) {
    String indent = " ".repeat(prefix.length());
    StringBuilder sb = new StringBuilder(prefix);
    int col = prefix.length();
    for (String word : text.trim().split("\\s+")) {
      if (col + word.length() + 1 > 96 && col > prefix.length()) {
        sb.append('\n').append(indent);
        col = indent.length();
      } else if (col > prefix.length()) {
        sb.append(' ');
        col++;
      }
      sb.append(word);
      col += word.length();
    }
    return sb.toString();
  }
}
