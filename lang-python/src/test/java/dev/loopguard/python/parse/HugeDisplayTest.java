package dev.loopguard.python.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.python.ast.Ast;
import dev.loopguard.python.ast.ParseResult;
import org.junit.jupiter.api.Test;

/**
 * A list display of many elements is read in bounded memory: constants after the first
 * KEPT_CONSTANTS are dropped, everything else (a call hidden late in the table) is kept, and the
 * display's location is right. (The 19 MB case is measured by bench/hostile.sh, not here.)
 */
class HugeDisplayTest {
  @Test
  void constantsAfterTheFirstManyAreDroppedButCallsAreKept() {
    int n = PythonParser.KEPT_CONSTANTS + 5_000;
    StringBuilder sb = new StringBuilder("x = [");
    for (int i = 0; i < n; i++) {
      sb.append(i).append(", ");
      if (i == n - 10) {
        sb.append("requests.get(u), ");
      }
    }
    sb.append("'end']\ny = 1\n");
    ParseResult r = PythonParser.parse(sb.toString());
    assertThat(r.errors()).isEmpty();
    Ast.Assign assign = (Ast.Assign) r.module().body().get(0);
    Ast.ListExpr list = (Ast.ListExpr) assign.value();
    assertThat(list.elts()).hasSize(PythonParser.KEPT_CONSTANTS + 1);
    assertThat(list.elts()).filteredOn(e -> e instanceof Ast.Call).hasSize(1);
    assertThat(list.loc().endLine()).isEqualTo(1);
    assertThat(list.loc().endCol()).isEqualTo(sb.indexOf("\n"));
    assertThat(r.module().body()).hasSize(2);
  }
}
