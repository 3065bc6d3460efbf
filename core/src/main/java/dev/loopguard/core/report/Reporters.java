package dev.loopguard.core.report;

import dev.loopguard.core.report.audit.AuditReporter;
import dev.loopguard.core.report.github.GithubReporter;
import dev.loopguard.core.report.html.HtmlReporter;
import dev.loopguard.core.report.inventory.InventoryReporter;
import dev.loopguard.core.report.json.JsonReporter;
import dev.loopguard.core.report.sarif.SarifReporter;
import dev.loopguard.core.report.text.TextReporter;
import java.util.List;

/** The report formats by name. */
public final class Reporters {
  /** Every format, in the order help lists them. */
  public static final List<String> FORMATS =
      List.of("text", "json", "sarif", "github", "audit", "inventory", "html");

  private Reporters() {}

  /** The reporter for {@code format}; {@code color} applies to text only. Null when unknown. */
  public static Reporter create(String format, boolean color) {
    return switch (format) {
      case "text" -> new TextReporter(color);
      case "json" -> new JsonReporter();
      case "sarif" -> new SarifReporter();
      case "github" -> new GithubReporter();
      case "audit" -> new AuditReporter();
      case "inventory" -> new InventoryReporter();
      case "html" -> new HtmlReporter();
      default -> null;
    };
  }

  /** The file a format is written to in an output folder. */
  public static String fileName(String format) {
    return switch (format) {
      case "text" -> "loopguard.txt";
      case "json" -> "loopguard.json";
      case "sarif" -> "loopguard.sarif";
      case "github" -> "loopguard-github.txt";
      case "audit" -> "loopguard-audit.md";
      case "inventory" -> "loopguard-inventory.md";
      case "html" -> "loopguard.html";
      default -> "loopguard." + format;
    };
  }
}
