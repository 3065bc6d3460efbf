package dev.loopguard.core.frontend;

import java.util.List;

/**
 * One file handed to a frontend.
 *
 * @param path path relative to the scan root, {@code /}-separated
 * @param module dotted module name computed by {@link LanguageFrontend#moduleName}
 * @param aliases other dotted names of the module
 * @param content raw bytes; the frontend decodes them
 */
public record SourceFile(String path, String module, List<String> aliases, byte[] content) {}
