package dev.loopguard.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's name and version. */
public final class Version {
  public static final String NAME = "loopguard";

  private Version() {}

  public static String get() {
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
