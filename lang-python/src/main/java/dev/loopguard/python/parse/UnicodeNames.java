package dev.loopguard.python.parse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Character names for {@code \N{...}} escapes: Java's Unicode name database, plus what Python
 * also accepts and Java does not know: the name aliases of the control and formatting characters
 * (e.g. {@code ESC}, {@code LINE FEED}, {@code NBSP}, {@code BOM}), and the algorithmic names of
 * CJK ideographs and Hangul syllables. Best effort: Java's database may be older than Python's.
 */
final class UnicodeNames {
  private UnicodeNames() {}

  private static final String[] ALIASES = {
    "NULL", "0000", "NUL", "0000", "START OF HEADING", "0001", "SOH", "0001",
    "START OF TEXT", "0002", "STX", "0002", "END OF TEXT", "0003", "ETX", "0003",
    "END OF TRANSMISSION", "0004", "EOT", "0004", "ENQUIRY", "0005", "ENQ", "0005",
    "ACKNOWLEDGE", "0006", "ACK", "0006", "ALERT", "0007", "BEL", "0007", "BACKSPACE", "0008",
    "BS", "0008", "CHARACTER TABULATION", "0009", "HORIZONTAL TABULATION", "0009", "HT", "0009",
    "TAB", "0009", "LINE FEED", "000A", "NEW LINE", "000A", "END OF LINE", "000A", "LF", "000A",
    "NL", "000A", "EOL", "000A", "LINE TABULATION", "000B", "VERTICAL TABULATION", "000B",
    "VT", "000B", "FORM FEED", "000C", "FF", "000C", "CARRIAGE RETURN", "000D", "CR", "000D",
    "SHIFT OUT", "000E", "LOCKING-SHIFT ONE", "000E", "SO", "000E", "SHIFT IN", "000F",
    "LOCKING-SHIFT ZERO", "000F", "SI", "000F", "DATA LINK ESCAPE", "0010", "DLE", "0010",
    "DEVICE CONTROL ONE", "0011", "DC1", "0011", "DEVICE CONTROL TWO", "0012", "DC2", "0012",
    "DEVICE CONTROL THREE", "0013", "DC3", "0013", "DEVICE CONTROL FOUR", "0014", "DC4", "0014",
    "NEGATIVE ACKNOWLEDGE", "0015", "NAK", "0015", "SYNCHRONOUS IDLE", "0016", "SYN", "0016",
    "END OF TRANSMISSION BLOCK", "0017", "ETB", "0017", "CANCEL", "0018", "CAN", "0018",
    "END OF MEDIUM", "0019", "EOM", "0019", "EM", "0019", "SUBSTITUTE", "001A", "SUB", "001A",
    "ESCAPE", "001B", "ESC", "001B", "INFORMATION SEPARATOR FOUR", "001C",
    "FILE SEPARATOR", "001C", "FS", "001C", "INFORMATION SEPARATOR THREE", "001D",
    "GROUP SEPARATOR", "001D", "GS", "001D", "INFORMATION SEPARATOR TWO", "001E",
    "RECORD SEPARATOR", "001E", "RS", "001E", "INFORMATION SEPARATOR ONE", "001F",
    "UNIT SEPARATOR", "001F", "US", "001F", "SP", "0020", "DELETE", "007F", "DEL", "007F",
    "PADDING CHARACTER", "0080", "PAD", "0080", "HIGH OCTET PRESET", "0081", "HOP", "0081",
    "BREAK PERMITTED HERE", "0082", "BPH", "0082", "NO BREAK HERE", "0083", "NBH", "0083",
    "INDEX", "0084", "IND", "0084", "NEXT LINE", "0085", "NEL", "0085",
    "START OF SELECTED AREA", "0086", "SSA", "0086", "END OF SELECTED AREA", "0087",
    "ESA", "0087", "CHARACTER TABULATION SET", "0088", "HORIZONTAL TABULATION SET", "0088",
    "HTS", "0088", "CHARACTER TABULATION WITH JUSTIFICATION", "0089",
    "HORIZONTAL TABULATION WITH JUSTIFICATION", "0089", "HTJ", "0089",
    "LINE TABULATION SET", "008A", "VERTICAL TABULATION SET", "008A", "VTS", "008A",
    "PARTIAL LINE FORWARD", "008B", "PARTIAL LINE DOWN", "008B", "PLD", "008B",
    "PARTIAL LINE BACKWARD", "008C", "PARTIAL LINE UP", "008C", "PLU", "008C",
    "REVERSE LINE FEED", "008D", "REVERSE INDEX", "008D", "RI", "008D",
    "SINGLE SHIFT TWO", "008E", "SINGLE-SHIFT-2", "008E", "SS2", "008E",
    "SINGLE SHIFT THREE", "008F", "SINGLE-SHIFT-3", "008F", "SS3", "008F",
    "DEVICE CONTROL STRING", "0090", "DCS", "0090", "PRIVATE USE ONE", "0091",
    "PRIVATE USE-1", "0091", "PU1", "0091", "PRIVATE USE TWO", "0092", "PRIVATE USE-2", "0092",
    "PU2", "0092", "SET TRANSMIT STATE", "0093", "STS", "0093", "CANCEL CHARACTER", "0094",
    "CCH", "0094", "MESSAGE WAITING", "0095", "MW", "0095", "START OF GUARDED AREA", "0096",
    "START OF PROTECTED AREA", "0096", "SPA", "0096", "END OF GUARDED AREA", "0097",
    "END OF PROTECTED AREA", "0097", "EPA", "0097", "START OF STRING", "0098", "SOS", "0098",
    "SINGLE GRAPHIC CHARACTER INTRODUCER", "0099", "SGC", "0099",
    "SINGLE CHARACTER INTRODUCER", "009A", "SCI", "009A", "CONTROL SEQUENCE INTRODUCER", "009B",
    "CSI", "009B", "STRING TERMINATOR", "009C", "ST", "009C", "OPERATING SYSTEM COMMAND", "009D",
    "OSC", "009D", "PRIVACY MESSAGE", "009E", "PM", "009E", "APPLICATION PROGRAM COMMAND", "009F",
    "APC", "009F", "NBSP", "00A0", "SHY", "00AD", "CGJ", "034F", "ZWSP", "200B", "ZWNJ", "200C",
    "ZWJ", "200D", "LRM", "200E", "RLM", "200F", "LRE", "202A", "RLE", "202B", "PDF", "202C",
    "LRO", "202D", "RLO", "202E", "NNBSP", "202F", "MMSP", "205F", "WJ", "2060",
    "BYTE ORDER MARK", "FEFF", "BOM", "FEFF", "ZWNBSP", "FEFF"
  };

  private static final Map<String, Integer> ALIAS = new HashMap<>();

  static {
    for (int i = 0; i < ALIASES.length; i += 2) {
      ALIAS.put(ALIASES[i], Integer.parseInt(ALIASES[i + 1], 16));
    }
  }

  private static final String[] JAMO_L = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S",
    "SS", "", "J", "JJ", "C", "K", "T", "P", "H"};
  private static final String[] JAMO_V = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O",
    "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
  private static final String[] JAMO_T = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG",
    "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P",
    "H"};

  /** The code point named {@code name} (case-insensitive), or -1. */
  static int lookup(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    Integer a = ALIAS.get(n);
    if (a != null) {
      return a;
    }
    for (String prefix : new String[] {"CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-",
        "TANGUT IDEOGRAPH-", "KHITAN SMALL SCRIPT CHARACTER-", "NUSHU CHARACTER-"}) {
      if (n.startsWith(prefix)) {
        String hex = n.substring(prefix.length());
        if (hex.length() >= 4 && hex.length() <= 5 && hex.chars().allMatch(
            c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
          return Integer.parseInt(hex, 16);
        }
        return -1;
      }
    }
    if (n.startsWith("HANGUL SYLLABLE ")) {
      return hangul(n.substring("HANGUL SYLLABLE ".length()));
    }
    try {
      return Character.codePointOf(n);
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static int longest(String[] table, String s, int from) {
    int best = -1;
    int bestLen = -1;
    for (int i = 0; i < table.length; i++) {
      String t = table[i];
      if (t.length() > bestLen && s.startsWith(t, from)) {
        best = i;
        bestLen = t.length();
      }
    }
    return best;
  }

  private static int hangul(String s) {
    int l = longest(JAMO_L, s, 0);
    if (l < 0) {
      return -1;
    }
    int at = JAMO_L[l].length();
    int v = longest(JAMO_V, s, at);
    if (v < 0) {
      return -1;
    }
    at += JAMO_V[v].length();
    int t = longest(JAMO_T, s, at);
    if (t < 0 || at + JAMO_T[t].length() != s.length()) {
      return -1;
    }
    return 0xAC00 + (l * 21 + v) * 28 + t;
  }
}
