package dev.loopguard.python.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopguard.core.engine.Knowledge;
import dev.loopguard.core.engine.Pipeline;
import dev.loopguard.core.model.UndescribedCall;
import dev.loopguard.core.config.Settings;
import dev.loopguard.core.frontend.Frontends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the analysis could not see: undescribed external calls on the loop, ranked (issue 17). */
class UnknownCallsTest {
  @TempDir Path dir;

  private static final String CODE = """
      import logging
      import asyncio

      import vendor_llm
      import vendor_sdk

      log = logging.getLogger(__name__)


      def helper(text):
          log.info("x")
          return vendor_llm.completion(model="m", messages=[]).choices


      async def one(text):
          helper(text.strip())
          vendor_sdk.Client().upload(len(text))
          await vendor_sdk.AsyncClient().upload(1)
          vendor_sdk.connect().send(b"x")


      async def two(text):
          return helper(str(text).upper())


      async def three():
          await asyncio.to_thread(helper, "x")


      def sync_only():
          vendor_sdk.never_on_the_loop()
      """;

  @Test
  void rankedByTheAsyncFunctionsThatReachThem() throws IOException {
    Files.writeString(dir.resolve("svc.py"), CODE);
    Settings s = Settings.resolve(Frontends.all(), dir, List.of(), Settings.Overrides.none().withThreads(1));
    Pipeline pipeline = new Pipeline(s, new Knowledge(s.frontends()));
    List<UndescribedCall> unknown = pipeline.undescribedCalls(pipeline.scan(Pipeline.Request.plain()));
    // vendor_llm.completion: reached from one and two through helper (three offloads it); builtins,
    // str methods and logging are described as harmless by the packs; awaited calls are async;
    // a method of what an undescribed function returned is not a declarable name; Client.upload,
    // whose async twin AsyncClient.upload is awaited, is a (low-confidence) finding already.
    assertThat(unknown).extracting(UndescribedCall::api)
        .containsExactly("vendor_llm.completion", "vendor_sdk.AsyncClient", "vendor_sdk.Client",
            "vendor_sdk.connect");
    UndescribedCall top = unknown.get(0);
    assertThat(top.roots()).isEqualTo(2);
    assertThat(top.sites()).isEqualTo(1);
    assertThat(top.examplePath() + ":" + top.exampleLine()).isEqualTo("svc.py:12");
    assertThat(top.tomlEntry())
        .isEqualTo("\"vendor_llm.completion\" = \"an async equivalent, or run it in a worker thread\"");
  }
}
