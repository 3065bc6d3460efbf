package dev.loopguard.core.model;

/**
 * An external API that code on the event loop calls and that no knowledge fact describes (neither
 * blocking nor harmless): what the analysis could not see.
 *
 * @param api its qualified name
 * @param roots how many event-loop functions reach it
 * @param sites how many call sites call it
 * @param examplePath the first call site's file
 * @param exampleLine its line
 * @param exampleFunction the function it stands in
 */
public record UndescribedCall(String api, int roots, int sites, String examplePath, int exampleLine,
    String exampleFunction) {

  /** The one-line {@code [tool.loopguard.blocking]} entry that declares the API blocking. */
  public String tomlEntry() {
    return "\"" + api.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\" = \"an async equivalent, or run it in a worker thread\"";
  }
}
