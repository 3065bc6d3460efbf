package dev.loopguard.core.report;

import java.nio.charset.StandardCharsets;

/**
 * The one encoder of paths as URI references (RFC 3986), used by every report that writes a
 * URI (SARIF {@code artifactLocation.uri}): each segment of a {@code /}-separated relative path
 * is percent-encoded as UTF-8 except the unreserved characters ({@code A-Z a-z 0-9 - . _ ~}),
 * so {@code %}, spaces, control characters, non-ASCII letters, {@code ?}, {@code #} and a
 * {@code :} (which in a first segment would read as a scheme) are all escaped; a path that
 * starts with {@code //} is written {@code /.//} (not a host). Decoding the result gives the
 * path back.
 */
public final class Uris {
  private Uris() {}

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** {@code path} ({@code /}-separated, relative) as a relative URI reference. */
  public static String relativePath(String path) {
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '.' || c == '_' || c == '~' || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    // A reference that starts with "//" would read as an authority (a host): "/." keeps it a path.
    return sb.length() > 1 && sb.charAt(0) == '/' && sb.charAt(1) == '/' ? "/." + sb : sb.toString();
  }
}
