package dev.loopguard.python.lower;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.analysis.Contributions;
import dev.loopguard.core.analysis.Project;
import dev.loopguard.core.ir.ModuleIr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a module answers of the project's queries, and when two versions answer differently: the
 * incremental resolution cache re-resolves only the folders that read a changed answer.
 */
class ContributionsTest {
  private static final String BASE = """
      import requests

      def make():
          return requests.Session()

      class Client:
          def __init__(self):
              self.session = make()

          def get(self, url):
              return self.session.get(url)

      client = Client()
      """;

  @Test
  void movedCodeAndShiftedCallsAnswerTheSame() {
    Contributions before = of(BASE);
    Contributions after = of("# a comment\nprint('hello')\n\n" + BASE.replace("import requests",
        "import requests\nlog = print('shifts every call index')"));
    // One new key (log); every other answer the same, though every line and call index moved.
    assertThat(changed(before, after)).isEqualTo(1);
    assertThat(changed(before, of("# only a comment\n" + BASE))).isZero();
    // What a body does in order (its events) is no answer call resolution reads.
    String reads = BASE.replace("return self.session.get(url)",
        "if self.session.closed:\n            self.session.closed = False\n"
            + "        return self.session.get(url)");
    assertThat(Py.fn(Py.lower(reads), "app.mod.Client.get").events())
        .isNotEqualTo(Py.fn(Py.lower(BASE), "app.mod.Client.get").events());
    assertThat(changed(before, of(reads))).isZero();
  }

  @Test
  void aChangedValueChangesOnlyItsAnswer() {
    Contributions before = of(BASE);
    assertThat(changed(before, of(BASE.replace("return requests.Session()",
        "return requests.session()")))).isEqualTo(1);
    assertThat(changed(before, of(BASE.replace("self.session = make()",
        "self.session = requests")))).isEqualTo(1);
    assertThat(changed(before, of(BASE.replace("class Client:", "class Client(object):"))))
        .isEqualTo(1);
  }

  @Test
  void aFunctionFiledUnderAnotherModuleMakesItAmbiguous() {
    ModuleIr first = Py.lower("app/mod.py", "app.mod", BASE);
    ModuleIr twin = Py.lower("other/mod.py", "app.mod", BASE);
    Project project = new Project(List.of(first, twin));
    assertThat(Contributions.of(project, first, 1)).isNotNull();
    assertThat(Contributions.of(project, twin, 1)).isNull();
  }

  private static Contributions of(String src) {
    ModuleIr m = Py.lower(src);
    return Contributions.of(new Project(List.of(m)), m, 7);
  }

  /** Keys answered by one version only or differently by the two. */
  private static int changed(Contributions a, Contributions b) {
    int n = 0;
    for (int i = 0; i < a.keys().length; i++) {
      if (b.hashOf(a.keys()[i]) != a.hashes()[i]) {
        n++;
      }
    }
    for (int i = 0; i < b.keys().length; i++) {
      if (a.hashOf(b.keys()[i]) == 0) {
        n++;
      }
    }
    return n;
  }
}
