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
    List<String> references) {

  /** A runnable example: code in a language that must pass or fail the rule. */
  public record Example(String language, String verdict, String title, String code) {}

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
