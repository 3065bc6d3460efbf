package dev.loopguard.core.runtime;

import java.util.List;
import java.util.Map;

/**
 * How a frontend instruments a child process of its language: files shipped as class-path
 * resources, extracted to a folder that goes first on a search-path variable.
 *
 * @param resourceFolder class-path folder holding the files ({@code runtime/<language>/})
 * @param resources the files, relative to that folder, {@code /}-separated
 * @param searchPathVariable the environment variable that makes the runtime load them (the
 *     extracted folder goes first; the user's value is kept after it)
 * @param listAppends environment variables holding comma-separated lists, with the entry to add
 *     (the user's entries are kept)
 */
public record RuntimeBootstrap(
    String resourceFolder,
    List<String> resources,
    String searchPathVariable,
    Map<String, String> listAppends) {

  public RuntimeBootstrap {
    resources = List.copyOf(resources);
    listAppends = Map.copyOf(listAppends);
  }

  /** Environment variables the bootstrap reads (language-neutral names). */
  public static final String EVENTS = "LOOPGUARD_RUNTIME_EVENTS";
  public static final String METRICS = "LOOPGUARD_RUNTIME_METRICS";
  public static final String THRESHOLD_MS = "LOOPGUARD_RUNTIME_THRESHOLD_MS";
  public static final String PARENT_PID = "LOOPGUARD_RUNTIME_PARENT_PID";
}
