package dev.loopguard.core.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopguard.core.ir.Span;
import dev.loopguard.core.model.ChainHop;
import dev.loopguard.core.model.Confidence;
import dev.loopguard.core.model.BlockingAttributes;
import dev.loopguard.core.model.Finding;
import dev.loopguard.core.model.Priority;
import dev.loopguard.core.report.SourceLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
  @TempDir Path dir;

  static Finding at(int line, String api) {
    return new Finding("perf-004", "app/a.py", Span.of(line, 5, line, 20), "app.a.handler", api + " blocks.",
        Confidence.HIGH, Priority.P1, "request app.a.handler", null, List.of(new ChainHop("app/a.py", line, 5, "app.a.handler", api)),
        "Fix it.", BlockingAttributes.of("sleep", api, null, null, null, "py:" + api, false), "fp" + line);
  }

  private SourceLines source(String text) throws IOException {
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("app/a.py"), text);
    return new SourceLines(dir);
  }

  @Test
  void roundTripsAndSurvivesLineShifts() throws IOException {
    SourceLines before = source("a\nb\n    time.sleep(1)\n");
    Baseline b = Baseline.of(List.of(at(3, "time.sleep")), before);
    Path file = dir.resolve("out/baseline.json");
    b.write(file);
    Baseline read = Baseline.read(file);
    assertThat(read.entries()).isEqualTo(b.entries());
    assertThat(Files.readString(file)).contains("\"loopguard-baseline\" : 1").doesNotContain("fp3");

    SourceLines after = source("x\ny\nz\na\nb\n    time.sleep(1)\n");
    Baseline.Match m = read.match(List.of(at(6, "time.sleep")), after);
    assertThat(m.fresh()).isEmpty();
    assertThat(m.known()).hasSize(1);
    assertThat(m.gone()).isZero();
  }

  @Test
  void aSecondCallWithTheSameKeyIsToldApartByItsText() throws IOException {
    SourceLines before = source("a\nb\n    time.sleep(1)\n");
    Baseline b = Baseline.of(List.of(at(3, "time.sleep")), before);
    // A new sleep inserted above the old one: same rule, path, function and API.
    SourceLines after = source("a\n    time.sleep(30)\nb\n    time.sleep(1)\n");
    Baseline.Match m = b.match(List.of(at(2, "time.sleep"), at(4, "time.sleep")), after);
    assertThat(m.fresh()).extracting(Finding::line).containsExactly(2);
    assertThat(m.known()).extracting(Finding::line).containsExactly(4);
  }

  @Test
  void newApisAreFreshAndFixedOnesAreGone() throws IOException {
    SourceLines src = source("a\nb\n    time.sleep(1)\n    open(p)\n");
    Baseline b = Baseline.of(List.of(at(3, "time.sleep")), src);
    Baseline.Match m = b.match(List.of(at(4, "builtins.open")), src);
    assertThat(m.fresh()).extracting(Finding::subject).containsExactly("builtins.open");
    assertThat(m.gone()).isEqualTo(1);
  }

  @Test
  void aBadBaselineIsAnErrorNeverAPass() throws IOException {
    assertThatThrownBy(() -> Baseline.read(dir.resolve("missing.json")))
        .isInstanceOf(BaselineException.class).hasMessageContaining("missing.json: cannot read the baseline: no such file");
    Path corrupt = dir.resolve("corrupt.json");
    Files.writeString(corrupt, "{\"loopguard-baseline\": 1, \"findings\": [");
    assertThatThrownBy(() -> Baseline.read(corrupt))
        .isInstanceOf(BaselineException.class).hasMessageContaining("corrupt.json").hasMessageContaining("not valid JSON");
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> Baseline.read(empty)).isInstanceOf(BaselineException.class);
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"findings\": []}");
    assertThatThrownBy(() -> Baseline.read(other)).hasMessageContaining("not a loopguard baseline");
    Path newer = dir.resolve("newer.json");
    Files.writeString(newer, "{\"loopguard-baseline\": 7, \"findings\": []}");
    assertThatThrownBy(() -> Baseline.read(newer)).hasMessageContaining("format version 7, newer than");
    Path noKey = dir.resolve("nokey.json");
    Files.writeString(noKey, "{\"loopguard-baseline\": 1, \"findings\": [{\"rule\": \"perf-004\"}]}");
    assertThatThrownBy(() -> Baseline.read(noKey)).hasMessageContaining("findings[0]: missing \"key\"");
    Path dirAsFile = dir.resolve("folder");
    Files.createDirectories(dirAsFile);
    assertThatThrownBy(() -> Baseline.read(dirAsFile)).isInstanceOf(BaselineException.class);
  }

  /** A finding in handler {@code fn} whose chain reaches the root causes {@code causeIds}. */
  static Finding reaching(String fn, int line, String... causeIds) {
    List<dev.loopguard.core.model.Cause> causes = new java.util.ArrayList<>();
    for (String id : causeIds) {
      causes.add(new dev.loopguard.core.model.Cause(id, "app/init.py", 7, 5, "app.init.make", 6,
          "boto3.client", "sdk", Confidence.MEDIUM, false,
          List.of(new ChainHop("app/a.py", line, 5, fn, "app.init.make"),
              new ChainHop("app/init.py", 7, 5, "app.init.make", "boto3.client")), null));
    }
    return new Finding("perf-004", "app/a.py", Span.of(line, 5, line, 20), fn, "make() blocks.",
        Confidence.MEDIUM, Priority.P1, "request " + fn, null, causes.get(0).chain(), "Fix it.",
        BlockingAttributes.of("sdk", "boto3.client", null, null, null, "py:boto3", false), null,
        List.copyOf(causes));
  }

  @Test
  void aNewPathToAnAcceptedRootCauseIsKnownAndANewRootCauseIsFresh() throws IOException {
    SourceLines src = source("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
    Baseline b = Baseline.of(List.of(reaching("app.a.list", 3, "rc-init")), src);
    Path file = dir.resolve("baseline.json");
    b.write(file);
    Baseline read = Baseline.read(file);
    assertThat(read.rootCauses()).extracting(Baseline.RootCauseEntry::function).containsExactly("app.init.make");
    assertThat(Files.readString(file)).contains("\"rootCauses\"");

    Baseline.Match m = read.match(List.of(
        reaching("app.a.list", 3, "rc-init"),
        reaching("app.a.create", 8, "rc-init"),
        reaching("app.a.delete", 9, "rc-init", "rc-new")), src);
    // rc-new: a second operation of the same function and API, on another line; the one entry
    // accepts the operation on its own line.
    assertThat(m.known()).extracting(Finding::function).containsExactly("app.a.list", "app.a.create");
    assertThat(m.fresh()).extracting(Finding::function).containsExactly("app.a.delete");
  }

  @Test
  void aRootCauseEntryWithoutAnIdIsRefused() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"loopguard-baseline\": 1, \"findings\": [], \"rootCauses\": [{\"rule\": \"perf-004\"}]}");
    assertThatThrownBy(() -> Baseline.read(file)).isInstanceOf(BaselineException.class)
        .hasMessageContaining("rootCauses[0]");
  }
}
