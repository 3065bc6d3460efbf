package dev.loopguard.core.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A rule's card: what it checks and how to act on it, kept as data next to the rule's logic.
 * Documentation, {@code loopguard explain} and SARIF rule metadata are built from it, and its
 * examples run as tests.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RuleCard(
    String id,
    String title,
    String severity,
    String intent,
    @JsonProperty("applies-when") List<String> appliesWhen,
    @JsonProperty("passes-when") List<String> passesWhen,
    @JsonProperty("fails-when") List<String> failsWhen,
    @JsonProperty("unknown-when") List<String> unknownWhen,
    @JsonProperty("do-not-flag") List<String> doNotFlag,
    Map<String, String> confidence,
    Map<String, String> priority,
    List<String> remediation,
    List<Example> examples,
    List<String> references,
    @JsonProperty("foreign-codes") List<String> foreignCodes) {

  /** A runnable example: code in a language that must pass or fail the rule. */
  public record Example(String language, String verdict, String title, String code) {}

  /**
   * Whether {@code code}, a code another tool gives a check of its own (flake8-async's, Ruff's),
   * names this rule: it matches one of the card's {@code foreign-codes} globs ({@code ?} one
   * character, {@code *} any run), ignoring case.
   */
  public boolean claims(String code) {
    if (foreignCodes == null) {
      return false;
    }
    for (String glob : foreignCodes) {
      if (globMatches(glob.toUpperCase(java.util.Locale.ROOT), code.toUpperCase(java.util.Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** Glob matching in linear time: the last star takes whatever a mismatch needs. */
  static boolean globMatches(String glob, String text) {
    int g = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
        g++;
        t++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        mark = t;
      } else if (star >= 0) {
        g = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /** Reads the card {@code card.yaml} that sits in the package of {@code ruleClass}. */
  public static RuleCard load(Class<?> ruleClass) {
    String resource = "card.yaml";
    try (InputStream in = ruleClass.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no card.yaml next to " + ruleClass.getName());
      }
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
      return yaml.readValue(in, RuleCard.class);
    } catch (IOException e) {
      throw new UncheckedIOException("bad card.yaml for " + ruleClass.getName(), e);
    }
  }
}
