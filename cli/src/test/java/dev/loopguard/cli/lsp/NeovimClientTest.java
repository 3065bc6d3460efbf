package dev.loopguard.cli.lsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client: Neovim, headless, opens a file with a blocking call and reads the diagnostics its
 * built-in LSP client got from {@code loopguard lsp}. Skipped when {@code nvim} is not installed
 * (Debian: {@code apt-get install neovim}; 0.7 or later).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NeovimClientTest {
  private static final String SCRIPT = """
      local root = os.getenv("LG_ROOT")
      local out = io.open(os.getenv("LG_OUT"), "w")
      local cmd = { os.getenv("LG_JAVA"), "-cp", os.getenv("LG_CP"), "dev.loopguard.cli.Main", "lsp" }
      local id = vim.lsp.start_client({ name = "loopguard", cmd = cmd, root_dir = root })
      vim.cmd("edit " .. root .. "/app.py")
      vim.lsp.buf_attach_client(0, id)
      local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
      for _, d in ipairs(vim.diagnostic.get(0)) do
        local code = d.code
        if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
        out:write(string.format("%d:%d:%s:%s:%s\\n", d.lnum, d.col, tostring(code), tostring(d.source), d.message))
      end
      if not ok then out:write("TIMEOUT\\n") end
      out:close()
      vim.lsp.stop_client(id)
      vim.cmd("qa!")
      """;

  @TempDir Path dir;

  @Test
  void neovimOpensAFileAndShowsTheFinding() throws Exception {
    String nvim = onPath("nvim");
    assumeTrue(nvim != null, "nvim is not installed (apt-get install neovim): no real-client test");
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("app.py"), "import time\n\n\nasync def handler():\n    time.sleep(1)\n");
    Path script = dir.resolve("client.lua");
    Files.writeString(script, SCRIPT);
    Path out = dir.resolve("diagnostics.txt");
    ProcessBuilder pb = new ProcessBuilder(nvim, "--headless", "--clean", "-u", "NONE", "-i", "NONE",
        "-c", "luafile " + script)
        .directory(project.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("nvim.log").toFile());
    pb.environment().put("LG_ROOT", project.toString());
    pb.environment().put("LG_OUT", out.toString());
    pb.environment().put("LG_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("LG_CP", System.getProperty("java.class.path"));
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
    pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
    Process p = pb.start();
    try {
      assertThat(p.waitFor(100, TimeUnit.SECONDS)).as("nvim ended").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(out).as("nvim wrote no diagnostics file; its output: "
        + (Files.exists(dir.resolve("nvim.log")) ? Files.readString(dir.resolve("nvim.log")) : "")).exists();
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("4:4:perf-004:loopguard:").contains("time.sleep");
  }

  private static String onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
