package dev.loopguard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * The shared Markdown escaper and URI encoder, property-tested with hostile names: rendered
 * through a CommonMark + GFM parser (tables, auto-links), a name never becomes a link (but a
 * {@code mailto:} link of an e-mail address in prose), an image,
 * HTML or emphasis, never breaks a table row or a code span, and reads back as itself.
 */
class MarkdownEscapeTest {
  private static final List<Extension> GFM = List.of(TablesExtension.create(), AutolinkExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(GFM).build();

  private static final String[] PIECES = {
    "[x](https://evil.example/a).py", "![i](http://e/i.png)", "|", "\n", "\r\n", "`", "``", "```",
    "%", "%2F", ":", "a:b", "\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "é", "漢字",
    "\uD83D\uDE00", "<script>alert(1)</script>", "<b>", "*", "**", "_", "__", "\\", "\\|", "www.evil.example",
    "user@evil.example", "&amp;", "&#124;", "#", "- ", "+", "> ", "!", "~~", " ", "  ", "\t", "app/",
    "x.py", "../", "?q=1", "#frag", "a b", "=", "{", "}", "(", ")", "1. ", "<https://e.x>"
  };

  @Test
  void hostileNamesStayCodeAndTextInTablesAndLists() {
    Random random = new Random(2020);
    for (int i = 0; i < 3_000; i++) {
      String name = hostile(random);
      String doc = "| a | b |\n|---|---|\n" + Markdown.row(List.of(Markdown.code(name), Markdown.text(name)));
      Node root = PARSER.parse(doc);
      List<TableRow> rows = nodes(root, TableRow.class);
      assertThat(rows).as("rows of %s", show(name)).hasSize(2);
      TableRow body = rows.stream().filter(r -> r.getParent() instanceof TableBody).findFirst().orElseThrow();
      List<TableCell> cells = nodes(body, TableCell.class);
      assertThat(cells).as("cells of %s", show(name)).hasSize(2);
      assertNothingActive(root, name);
      List<Code> codes = nodes(cells.get(0), Code.class);
      assertThat(codes).as("code of %s", show(name)).hasSize(1);
      // GFM cannot show "\|" in a table cell's code: the backslash before a pipe is dropped
      String inTable = pictured(name, false).replaceAll("(?<!\\\\)((?:\\\\\\\\)*)\\\\\\|", "$1|");
      assertThat(codes.get(0).getLiteral()).as("code of %s", show(name)).isEqualTo(inTable);
      assertThat(textOf(cells.get(1))).as("text of %s", show(name)).isEqualTo(pictured(name.strip(), true).strip());

      Node item = PARSER.parse("- " + Markdown.text(name) + " at " + Markdown.code(name) + "\n");
      assertNothingActive(item, name);
      List<Code> inList = nodes(item, Code.class);
      assertThat(inList).as("list code of %s", show(name)).hasSize(1);
      assertThat(inList.get(0).getLiteral()).isEqualTo(pictured(name, false));
    }
  }

  @Test
  void aFencedBlockHoldsHostileLines() {
    Random random = new Random(2021);
    for (int i = 0; i < 1_000; i++) {
      String name = hostile(random);
      String block = "  " + Markdown.plain(name) + " calls x\n";
      String fence = Markdown.fence(block);
      Node root = PARSER.parse("- item\n  " + fence + "text\n" + block + "  " + fence + "\n");
      List<FencedCodeBlock> blocks = nodes(root, FencedCodeBlock.class);
      assertThat(blocks).as(show(name)).hasSize(1);
      assertThat(blocks.get(0).getLiteral()).as(show(name)).contains(Markdown.plain(name).strip());
    }
  }

  @Test
  void uriEncodingIsRfc3986AndDecodesBack() {
    Random random = new Random(2022);
    for (int i = 0; i < 3_000; i++) {
      String path = hostile(random).replaceFirst("^/+", "") + "/x.py";
      String uri = Uris.relativePath(path);
      assertThat(uri).as(show(path)).matches("[A-Za-z0-9._~/%-]*");
      // a relative reference whose first segment has no ':' (RFC 3986 4.2), that parses
      URI parsed = URI.create(uri);
      assertThat(parsed.getScheme()).isNull();
      assertThat(parsed.getRawPath()).isEqualTo(uri);
      assertThat(URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(path);
    }
    assertThat(Uris.relativePath("a:b/c d%/é.py")).isEqualTo("a%3Ab/c%20d%25/%C3%A9.py");
    assertThat(URI.create(Uris.relativePath("//host/x.py")).getAuthority()).isNull();
  }

  private static String hostile(Random random) {
    StringBuilder sb = new StringBuilder();
    for (int k = random.nextInt(5) + 1; k > 0; k--) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  /** What the escaper shows for {@code s}: control characters as pictures ({@code prose}: line breaks as spaces). */
  private static String pictured(String s, boolean prose) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (prose && (c == '\n' || c == '\r')) {
        sb.append(' ');
      } else if (c < 0x20) {
        sb.append((char) (0x2400 + c));
      } else if (c == 0x7f) {
        sb.append('\u2421');
      } else if (c >= 0x80 && c < 0xa0) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void assertNothingActive(Node root, String name) {
    for (Class<? extends Node> active : List.of(Link.class, Image.class, HtmlInline.class, HtmlBlock.class,
        Emphasis.class, StrongEmphasis.class)) {
      assertThat(nodes(root, active)).as("%s in %s", active.getSimpleName(), show(name))
          .allSatisfy(n -> assertThat(((Link) n).getDestination()).startsWith("mailto:"));
    }
  }

  private static String textOf(Node n) {
    StringBuilder sb = new StringBuilder();
    n.accept(new AbstractVisitor() {
      @Override
      public void visit(Text text) {
        sb.append(text.getLiteral());
      }
    });
    return sb.toString().replace("\u200B", "").strip();
  }

  private static <T extends Node> List<T> nodes(Node root, Class<T> type) {
    List<T> out = new ArrayList<>();
    collect(root, type, out);
    return out;
  }

  private static <T extends Node> void collect(Node n, Class<T> type, List<T> out) {
    if (type.isInstance(n)) {
      out.add(type.cast(n));
    }
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      collect(c, type, out);
    }
  }

  private static String show(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.append('"').toString();
  }
}
