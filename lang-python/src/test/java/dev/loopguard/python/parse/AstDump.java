package dev.loopguard.python.parse;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.Ast.Constant;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Normalized text dump of our tree, identical (for the same program) to the dump that
 * {@code difftest/ast_counts.py} produces from CPython's tree: one node per line, record
 * components in declaration order, scalars on the node's line, positions as
 * {@code line:col-endLine:endCol}. Number values are not compared (we keep source text).
 */
final class AstDump {
  private static final Set<String> NO_LOC =
      Set.of("Mod", "Arguments", "WithItem", "MatchCase", "Comprehension");

  private final StringBuilder out = new StringBuilder();
  private final boolean exactFStringPositions;

  private AstDump(boolean exactFStringPositions) {
    this.exactFStringPositions = exactFStringPositions;
  }

  static String dump(Ast.Node root, boolean exactFStringPositions) {
    AstDump d = new AstDump(exactFStringPositions);
    d.visit("module", root, 0, false);
    return d.out.toString();
  }

  static String sha1(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (byte x : h) {
        b.append(String.format("%02x", x));
      }
      return b.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String jstr(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  private void indent(int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void visit(String label, Object node, int depth, boolean inF) {
    indent(depth);
    if (node == null) {
      out.append(label).append(": None\n");
      return;
    }
    String type = node.getClass().getSimpleName();
    out.append(label).append(": ").append(type).append(' ');
    Ast.Loc loc = ((Ast.Node) node).loc();
    if (NO_LOC.contains(type)) {
      out.append('-');
    } else if (inF && !exactFStringPositions) {
      out.append('?');
    } else {
      out.append(loc.line()).append(':').append(loc.col()).append('-').append(loc.endLine())
          .append(':').append(loc.endCol());
    }
    if (node instanceof Constant) {
      Constant c = (Constant) node;
      out.append(" kind=").append(c.kind().name()).append(" value=");
      boolean text = c.kind() == Ast.ConstKind.STR || c.kind() == Ast.ConstKind.BYTES;
      out.append(text && c.value() != null ? jstr(c.value()) : "None").append('\n');
      return;
    }
    List<Object[]> children = new ArrayList<>();
    for (RecordComponent rc : node.getClass().getRecordComponents()) {
      String name = rc.getName();
      if (name.equals("loc") || name.equals("nameLoc")) {
        continue;
      }
      Object v;
      try {
        v = rc.getAccessor().invoke(node);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (v instanceof List) {
        List<?> l = (List<?>) v;
        if (l.isEmpty()) {
          continue;
        }
        boolean strings = true;
        for (Object x : l) {
          if (!(x instanceof String)) {
            strings = false;
            break;
          }
        }
        if (strings) {
          out.append(' ').append(name).append("=[");
          for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
              out.append(',');
            }
            out.append(jstr((String) l.get(i)));
          }
          out.append(']');
        } else {
          children.add(new Object[] {name, l});
        }
      } else if (v instanceof Ast.Node) {
        children.add(new Object[] {name, v});
      } else if (v == null) {
        if (rc.getType() == String.class) {
          out.append(' ').append(name).append("=None");
        } else {
          children.add(new Object[] {name, null});
        }
      } else if (v instanceof String) {
        out.append(' ').append(name).append('=').append(jstr((String) v));
      } else if (v instanceof Boolean) {
        out.append(' ').append(name).append('=').append(((Boolean) v) ? "true" : "false");
      } else if (v instanceof Enum) {
        out.append(' ').append(name).append('=').append(((Enum<?>) v).name());
      } else {
        out.append(' ').append(name).append('=').append(v);
      }
    }
    out.append('\n');
    boolean childF = inF || node instanceof Ast.JoinedStr;
    for (Object[] c : children) {
      String name = (String) c[0];
      if (c[1] instanceof List) {
        List<?> l = (List<?>) c[1];
        for (int i = 0; i < l.size(); i++) {
          visit(name + "[" + i + "]", l.get(i), depth + 1, childF);
        }
      } else {
        visit(name, c[1], depth + 1, childF);
      }
    }
  }
}
