package dev.loopguard.core.diff.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  private static final String GIT_DIFF = """
      diff --git a/app/api.py b/app/api.py
      index 1111111..2222222 100644
      --- a/app/api.py
      +++ b/app/api.py
      @@ -1,4 +1,5 @@
       import requests
      +import time
      \s
       async def notify(url):
      -    pass
      +    requests.post(url)
      diff --git a/app/new.py b/app/new.py
      new file mode 100644
      index 0000000..3333333
      --- /dev/null
      +++ b/app/new.py
      @@ -0,0 +1,2 @@
      +def f():
      +    return 1
      diff --git a/app/old.py b/app/old.py
      deleted file mode 100644
      index 4444444..0000000
      --- a/app/old.py
      +++ /dev/null
      @@ -1 +0,0 @@
      -x = 1
      diff --git a/app/a.py b/app/b.py
      similarity index 90%
      rename from app/a.py
      rename to app/b.py
      index 5555555..6666666 100644
      --- a/app/a.py
      +++ b/app/b.py
      @@ -1,2 +1,2 @@
       def g():
      -    return 1
      \\ No newline at end of file
      +    return 2
      \\ No newline at end of file
      diff --git a/logo.png b/logo.png
      Binary files a/logo.png and b/logo.png differ
      """;

  @Test
  void parsesGitDiffs() {
    List<UnifiedDiff.FilePatch> ps = UnifiedDiff.parse(GIT_DIFF);
    assertThat(ps).extracting(UnifiedDiff.FilePatch::path)
        .containsExactly("app/api.py", "app/new.py", "app/old.py", "app/b.py", "logo.png");
    UnifiedDiff.FilePatch api = ps.get(0);
    assertThat(api.oldPath()).isEqualTo("app/api.py");
    assertThat(api.hunks()).hasSize(1);
    UnifiedDiff.Hunk h = api.hunks().get(0);
    assertThat(h.oldStart()).isEqualTo(1);
    assertThat(h.oldCount()).isEqualTo(4);
    assertThat(h.newCount()).isEqualTo(5);
    assertThat(h.lines()).hasSize(6);
    assertThat(ps.get(1).oldPath()).isNull();
    assertThat(ps.get(2).newPath()).isNull();
    assertThat(ps.get(3).oldPath()).isEqualTo("app/a.py");
    assertThat(ps.get(3).hunks().get(0).oldNoNewline()).isTrue();
    assertThat(ps.get(3).hunks().get(0).newNoNewline()).isTrue();
    assertThat(ps.get(4).binary()).isTrue();
  }

  @Test
  void parsesPlainDiffs() {
    String plain = """
        --- app/x.py\t2024-01-01 10:00:00
        +++ app/x.py\t2024-01-02 10:00:00
        @@ -2 +2 @@
        -a = 1
        +a = 2
        """;
    List<UnifiedDiff.FilePatch> ps = UnifiedDiff.parse(plain);
    assertThat(ps).hasSize(1);
    assertThat(ps.get(0).oldPath()).isEqualTo("app/x.py");
    assertThat(ps.get(0).newPath()).isEqualTo("app/x.py");
    assertThat(UnifiedDiff.apply(ps.get(0), "z\na = 1\n", false)).isEqualTo("z\na = 2\n");
  }

  @Test
  void appliesForwardsAndBackwards() {
    List<UnifiedDiff.FilePatch> ps = UnifiedDiff.parse(GIT_DIFF);
    String before = "import requests\n\nasync def notify(url):\n    pass\n";
    String after = "import requests\nimport time\n\nasync def notify(url):\n    requests.post(url)\n";
    assertThat(UnifiedDiff.apply(ps.get(0), before, false)).isEqualTo(after);
    assertThat(UnifiedDiff.apply(ps.get(0), after, true)).isEqualTo(before);
    assertThat(UnifiedDiff.apply(ps.get(1), null, false)).isEqualTo("def f():\n    return 1\n");
    assertThat(UnifiedDiff.apply(ps.get(1), "def f():\n    return 1\n", true)).isNull();
    assertThat(UnifiedDiff.apply(ps.get(2), "x = 1\n", false)).isNull();
    assertThat(UnifiedDiff.apply(ps.get(2), null, true)).isEqualTo("x = 1\n");
    assertThat(UnifiedDiff.apply(ps.get(3), "def g():\n    return 1", false)).isEqualTo("def g():\n    return 2");
  }

  @Test
  void findsHunksThatMoved() {
    String diff = """
        --- a/m.py
        +++ b/m.py
        @@ -1,2 +1,2 @@
         def f():
        -    return 1
        +    return 2
        """;
    UnifiedDiff.FilePatch p = UnifiedDiff.parse(diff).get(0);
    assertThat(UnifiedDiff.apply(p, "# header\n\ndef f():\n    return 1\n", false))
        .isEqualTo("# header\n\ndef f():\n    return 2\n");
  }

  @Test
  void refusesPatchesThatDoNotFit() {
    UnifiedDiff.FilePatch api = UnifiedDiff.parse(GIT_DIFF).get(0);
    assertThatThrownBy(() -> UnifiedDiff.apply(api, "something else\n", false))
        .isInstanceOf(UnifiedDiff.DiffException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> UnifiedDiff.apply(api, null, false))
        .isInstanceOf(UnifiedDiff.DiffException.class).hasMessageContaining("does not exist");
    UnifiedDiff.FilePatch created = UnifiedDiff.parse(GIT_DIFF).get(1);
    assertThatThrownBy(() -> UnifiedDiff.apply(created, "already here\n", false))
        .isInstanceOf(UnifiedDiff.DiffException.class);
  }

  @Test
  void rejectsTruncatedHunks() {
    assertThatThrownBy(() -> UnifiedDiff.parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n"))
        .isInstanceOf(UnifiedDiff.DiffException.class).hasMessageContaining("truncated");
  }

  @Test
  void keepsCrlfLineEnds() {
    UnifiedDiff.FilePatch p = UnifiedDiff.parse("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n").get(0);
    assertThat(UnifiedDiff.apply(p, "a\r\n", false)).isEqualTo("b\r\n");
  }

  @Test
  void aDiffSavedWithCrlfAppliesAsGnuPatchAppliesIt() {
    // GNU patch: "Stripping trailing CRs from patch" when every line of the diff ends in CRLF.
    String crlf = GIT_DIFF.replace("\n", "\r\n");
    List<UnifiedDiff.FilePatch> patches = UnifiedDiff.parse(crlf);
    assertThat(patches).isEqualTo(UnifiedDiff.parse(GIT_DIFF));
    String old = "import requests\n\nasync def notify(url):\n    pass\n";
    assertThat(UnifiedDiff.apply(patches.get(0), old, false))
        .isEqualTo("import requests\nimport time\n\nasync def notify(url):\n    requests.post(url)\n");
    // ... and to a file with CRLF line ends, keeping them
    assertThat(UnifiedDiff.apply(patches.get(0), old.replace("\n", "\r\n"), false))
        .isEqualTo("import requests\r\nimport time\r\n\r\nasync def notify(url):\r\n    requests.post(url)\r\n");
  }

  @Test
  void aMalformedHunkHeaderIsAnError() {
    for (String header : List.of("@@ -1,x +1 @@", "@@ -1 +1", "@@ garbage @@", "@@ -99999999999 +1 @@")) {
      assertThatThrownBy(() -> UnifiedDiff.parse("--- a/x.py\n+++ b/x.py\n" + header + "\n-a\n+b\n"))
          .as(header).isInstanceOf(UnifiedDiff.DiffException.class).hasMessageContaining("hunk header");
    }
  }
}
