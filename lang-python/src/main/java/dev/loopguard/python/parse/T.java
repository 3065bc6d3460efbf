package dev.loopguard.python.parse;

/** Token types (plain ints for speed). Package-private. */
final class T {
  private T() {}

  static final int EOF = 0;
  static final int NEWLINE = 1;
  static final int INDENT = 2;
  static final int DEDENT = 3;
  static final int NAME = 4;
  static final int NUMBER = 5;
  static final int STRING = 6;
  static final int FSTRING_START = 7;
  static final int FSTRING_MIDDLE = 8;
  static final int FSTRING_END = 9;
  /** A token the lexer already reported an error for; the parser fails the statement silently. */
  static final int ERROR = 10;

  // operators
  static final int LPAR = 11;
  static final int RPAR = 12;
  static final int LSQB = 13;
  static final int RSQB = 14;
  static final int LBRACE = 15;
  static final int RBRACE = 16;
  static final int COLON = 17;
  static final int COMMA = 18;
  static final int SEMI = 19;
  static final int PLUS = 20;
  static final int MINUS = 21;
  static final int STAR = 22;
  static final int SLASH = 23;
  static final int VBAR = 24;
  static final int AMPER = 25;
  static final int LESS = 26;
  static final int GREATER = 27;
  static final int EQUAL = 28;
  static final int DOT = 29;
  static final int PERCENT = 30;
  static final int EQEQUAL = 31;
  static final int NOTEQUAL = 32;
  static final int LESSEQUAL = 33;
  static final int GREATEREQUAL = 34;
  static final int TILDE = 35;
  static final int CIRCUMFLEX = 36;
  static final int LEFTSHIFT = 37;
  static final int RIGHTSHIFT = 38;
  static final int DOUBLESTAR = 39;
  static final int PLUSEQUAL = 40;
  static final int MINEQUAL = 41;
  static final int STAREQUAL = 42;
  static final int SLASHEQUAL = 43;
  static final int PERCENTEQUAL = 44;
  static final int AMPEREQUAL = 45;
  static final int VBAREQUAL = 46;
  static final int CIRCUMFLEXEQUAL = 47;
  static final int LEFTSHIFTEQUAL = 48;
  static final int RIGHTSHIFTEQUAL = 49;
  static final int DOUBLESTAREQUAL = 50;
  static final int DOUBLESLASH = 51;
  static final int DOUBLESLASHEQUAL = 52;
  static final int AT = 53;
  static final int ATEQUAL = 54;
  static final int RARROW = 55;
  static final int ELLIPSIS = 56;
  static final int COLONEQUAL = 57;
  static final int EXCLAMATION = 58;

  // keywords
  static final int FALSE = 60;
  static final int NONE = 61;
  static final int TRUE = 62;
  static final int AND = 63;
  static final int AS = 64;
  static final int ASSERT = 65;
  static final int ASYNC = 66;
  static final int AWAIT = 67;
  static final int BREAK = 68;
  static final int CLASS = 69;
  static final int CONTINUE = 70;
  static final int DEF = 71;
  static final int DEL = 72;
  static final int ELIF = 73;
  static final int ELSE = 74;
  static final int EXCEPT = 75;
  static final int FINALLY = 76;
  static final int FOR = 77;
  static final int FROM = 78;
  static final int GLOBAL = 79;
  static final int IF = 80;
  static final int IMPORT = 81;
  static final int IN = 82;
  static final int IS = 83;
  static final int LAMBDA = 84;
  static final int NONLOCAL = 85;
  static final int NOT = 86;
  static final int OR = 87;
  static final int PASS = 88;
  static final int RAISE = 89;
  static final int RETURN = 90;
  static final int TRY = 91;
  static final int WHILE = 92;
  static final int WITH = 93;
  static final int YIELD = 94;

  static final int COUNT = 95;

  static final String[] KEYWORDS = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield"
  };

  /** Keyword text -> token type: KEYWORDS[i] has type FALSE + i. */
  static int keywordType(int index) {
    return FALSE + index;
  }

  private static final String[] NAMES = new String[COUNT];

  static {
    NAMES[EOF] = "end of file";
    NAMES[NEWLINE] = "newline";
    NAMES[INDENT] = "indent";
    NAMES[DEDENT] = "dedent";
    NAMES[NAME] = "name";
    NAMES[NUMBER] = "number";
    NAMES[STRING] = "string";
    NAMES[FSTRING_START] = "f-string";
    NAMES[FSTRING_MIDDLE] = "f-string text";
    NAMES[FSTRING_END] = "end of f-string";
    NAMES[ERROR] = "error";
    String[] ops = {"(", ")", "[", "]", "{", "}", ":", ",", ";", "+", "-", "*", "/", "|", "&",
      "<", ">", "=", ".", "%", "==", "!=", "<=", ">=", "~", "^", "<<", ">>", "**", "+=", "-=",
      "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**=", "//", "//=", "@", "@=", "->",
      "...", ":=", "!"};
    for (int i = 0; i < ops.length; i++) {
      NAMES[LPAR + i] = "'" + ops[i] + "'";
    }
    for (int i = 0; i < KEYWORDS.length; i++) {
      NAMES[FALSE + i] = "'" + KEYWORDS[i] + "'";
    }
  }

  static String describe(int type) {
    return type >= 0 && type < COUNT && NAMES[type] != null ? NAMES[type] : "token " + type;
  }

  /** The operator text of an augmented assignment token without '=', or null. */
  static String augOp(int type) {
    switch (type) {
      case PLUSEQUAL: return "+";
      case MINEQUAL: return "-";
      case STAREQUAL: return "*";
      case SLASHEQUAL: return "/";
      case PERCENTEQUAL: return "%";
      case AMPEREQUAL: return "&";
      case VBAREQUAL: return "|";
      case CIRCUMFLEXEQUAL: return "^";
      case LEFTSHIFTEQUAL: return "<<";
      case RIGHTSHIFTEQUAL: return ">>";
      case DOUBLESTAREQUAL: return "**";
      case DOUBLESLASHEQUAL: return "//";
      case ATEQUAL: return "@";
      default: return null;
    }
  }
}
