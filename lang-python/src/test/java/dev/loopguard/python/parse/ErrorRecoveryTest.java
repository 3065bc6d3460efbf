package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.AstWalker;
import dev.loopguard.python.ast.ParseResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorRecoveryTest {

  /** Names of all function definitions, in pre-order. */
  static List<String> functions(ParseResult r) {
    List<String> out = new ArrayList<>();
    AstWalker.forEach(r.module(), n -> {
      if (n instanceof Ast.FunctionDef) {
        out.add(((Ast.FunctionDef) n).name());
      }
    });
    return out;
  }

  static List<String> calls(ParseResult r) {
    List<String> out = new ArrayList<>();
    AstWalker.forEach(r.module(), n -> {
      if (n instanceof Ast.Call && ((Ast.Call) n).func() instanceof Ast.Name) {
        out.add(((Ast.Name) ((Ast.Call) n).func()).id());
      }
    });
    return out;
  }

  @Test
  void brokenLineInsideAFunctionKeepsTheFunctionsAround() {
    ParseResult r = PythonParser.parse(String.join("\n",
        "import time",
        "async def a():",
        "    time.sleep(1)",
        "    x = = 2",
        "    requests.get(u)",
        "def b():",
        "    print 'old'",
        "    return c()",
        "async def c():",
        "    await d()",
        ""));
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::line).containsExactly(4, 7);
    assertThat(r.errors()).allMatch(e -> e.kind().equals("syntax-error"));
    assertThat(functions(r)).containsExactly("a", "b", "c");
    assertThat(calls(r)).containsExactly("c", "d");
    Ast.FunctionDef a = (Ast.FunctionDef) r.module().body().get(1);
    assertThat(a.body()).hasSize(2); // time.sleep(1) and requests.get(u)
  }

  @Test
  void brokenFunctionHeaderKeepsTheFunctionAndItsBody() {
    ParseResult r = PythonParser.parse("async def handler(request, = 1):\n    await db.fetch()\n"
        + "    blocking()\n\ndef next_one():\n    pass\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(functions(r)).containsExactly("handler", "next_one");
    Ast.FunctionDef h = (Ast.FunctionDef) r.module().body().get(0);
    assertThat(h.isAsync()).isTrue();
    assertThat(h.body()).hasSize(2);
    assertThat(calls(r)).containsExactly("blocking");
  }

  @Test
  void brokenClassHeaderKeepsMethods() {
    ParseResult r = PythonParser.parse("class A(B C):\n    def m(self):\n        pass\n"
        + "    async def n(self):\n        pass\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(r.module().body()).singleElement().isInstanceOf(Ast.ClassDef.class);
    assertThat(functions(r)).containsExactly("m", "n");
  }

  @Test
  void brokenCompoundHeaderKeepsItsBlock() {
    ParseResult r = PythonParser.parse("def f():\n    if x y:\n        a()\n        b()\n    c()\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(functions(r)).containsExactly("f");
    assertThat(calls(r)).containsExactly("a", "b", "c");
  }

  @Test
  void brokenClauseKeepsTheStatementAndTheRest() {
    ParseResult r = PythonParser.parse("def f():\n    try:\n        a()\n    except E as (x):\n"
        + "        b()\n    else:\n        c()\n    d()\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(calls(r)).containsExactly("a", "b", "c", "d");
  }

  @Test
  void unexpectedIndentKeepsStatements() {
    ParseResult r = PythonParser.parse("def f():\n    a()\n        b()\n    c()\n");
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::message)
        .containsExactly("unexpected indent");
    assertThat(calls(r)).containsExactly("a", "b", "c");
    assertThat(((Ast.FunctionDef) r.module().body().get(0)).body()).hasSize(3);
  }

  @Test
  void inconsistentDedentRecovers() {
    ParseResult r = PythonParser.parse("def f():\n        a()\n    b()\ndef g():\n    c()\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(functions(r)).containsExactly("f", "g");
    assertThat(calls(r)).containsExactly("a", "b", "c");
  }

  @Test
  void unterminatedStringOnlyCostsItsLine() {
    ParseResult r = PythonParser.parse("def f():\n    x = 'abc\n    g()\ndef h():\n    pass\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(functions(r)).containsExactly("f", "h");
    assertThat(calls(r)).containsExactly("g");
  }

  @Test
  void unterminatedTripleQuotedStringDoesNotSwallowTheFile() {
    ParseResult r = PythonParser.parse("def f():\n    '''doc\n    g()\n\ndef h():\n    k()\n");
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::line).contains(2);
    assertThat(functions(r)).containsExactly("f", "h");
    assertThat(calls(r)).containsExactly("g", "k");
  }

  @Test
  void unclosedBracketDoesNotSwallowTheFile() {
    ParseResult r = PythonParser.parse(String.join("\n",
        "async def a():",
        "    x = foo(1,",
        "    return x",
        "",
        "async def b():",
        "    await bar()",
        ""));
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::message)
        .containsExactly("'(' was never closed");
    assertThat(functions(r)).containsExactly("a", "b");
    assertThat(calls(r)).containsExactly("bar");
  }

  @Test
  void unclosedBracketAtEndOfFile() {
    ParseResult r = PythonParser.parse("def a():\n    pass\nx = [1, 2,\n");
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::message)
        .containsExactly("'[' was never closed");
    assertThat(functions(r)).containsExactly("a");
  }

  @Test
  void python2SyntaxIsAnErrorAndTheRestSurvives() {
    ParseResult r = PythonParser.parse(String.join("\n",
        "print 'x'",
        "exec 'y'",
        "x = `z`",
        "try:",
        "    pass",
        "except E, e:",  // valid from Python 3.14 (PEP 758): catches E or e
        "    pass",
        "if 1 <> 2: pass",
        "def ok(): return 1",
        ""));
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::line).containsExactly(1, 2, 3, 3, 8);
    assertThat(r.errors().get(0).message()).contains("Missing parentheses in call to 'print'");
    assertThat(functions(r)).containsExactly("ok");
  }

  @Test
  void nulCharacterReportsAndParsesTheRest() {
    ParseResult r = PythonParser.parse("x = 1\u0000\ndef f():\n    g()\n");
    assertThat(r.errors()).extracting(ParseResult.SyntaxError::message)
        .containsExactly("source code cannot contain null bytes");
    assertThat(functions(r)).containsExactly("f");
  }

  @Test
  void garbageNeverThrows() {
    String[] inputs = {"", "(", ")", "[", "]", "{", "}", "\"", "'''", "f'{", "f'{x", "f'{x:",
        "f\"{'", "def", "def f(", "class", "@", "@x\n", "lambda", "lambda:", "if", "if x",
        "if x:", "match x:\n case", "x = (", "\\", "\\\n", "\t\tx\n  y\n", "else:\n x\n",
        "f'{x!}'", "f'{x!r'", "f'''{x", "b'\u00e9'", "0x", "1e", "...", "*", "**", "x[", "x[:",
        "with (", "with (a as b", "try:", "try:\n x\n", "from", "from .", "import", "global",
        "async", "await", "yield", "del", "type X", "type X[", "case x:", "match x:\n case 1:",
        "\u0000", "\r", "\r\n\r\n", "\f", "\uFEFF", "x = 1 if", "x = 1 if y", "x = 1 if y else",
        "f(**)", "f(*)", "f(a=)", "{1:}", "{**}", "[*]", "(*)", "a.b.", "a.1", "1.__class__",
        "@property\ndef", "def f[T](", "type X[T] = ", "x: = 1", "x += ", "for", "for x in",
        "for x in y", "while", "assert", "raise from", "return return", "nonlocal", "é", "😀"};
    for (String in : inputs) {
      ParseResult r = PythonParser.parse(in);
      assertThat(r.module()).as(in).isNotNull();
    }
  }
}
