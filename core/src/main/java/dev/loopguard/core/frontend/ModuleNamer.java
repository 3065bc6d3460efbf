package dev.loopguard.core.frontend;

import java.util.List;

/** Names the modules of one scan (see {@link LanguageFrontend#moduleNamer}); thread-safe. */
public interface ModuleNamer {
  /** The dotted module name of the file at {@code relativePath}. */
  String name(String relativePath);

  /**
   * Other names the module may be imported as. A name of one part is the name a file has next
   * to the files of its own folder (a script's folder on the import path); the core trusts it
   * only for an importer in that folder, when the folder holds a script. Longer names are
   * names under other import roots, trusted everywhere.
   */
  List<String> aliases(String relativePath);
}
