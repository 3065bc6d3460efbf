package dev.loopguard.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's name and version. */
public final class Version {
  public static final String NAME = "loopguard";

  private Version() {}

  /** The version of this build ("dev" when unknown), read from the jar once. */
  public static String get() {
    return Read.VERSION;
  }

  /** Holds the version: read when first asked for, by the class loader's lock. */
  private static final class Read {
    static final String VERSION = read();
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }
}
