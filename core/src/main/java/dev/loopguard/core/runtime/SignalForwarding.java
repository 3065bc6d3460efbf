package dev.loopguard.core.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While open, SIGINT, SIGTERM and SIGHUP sent to this JVM are passed on to a child process
 * (through {@code kill}) instead of ending the JVM, so that the child decides how to stop and its
 * exit code comes back. Where signals cannot be handled (Windows), the JVM's default stays.
 */
final class SignalForwarding implements AutoCloseable {
  private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private SignalForwarding() {}

  static SignalForwarding to(Process child) {
    SignalForwarding f = new SignalForwarding();
    for (String name : SIGNALS) {
      try {
        Signal s = new Signal(name);
        SignalHandler old = Signal.handle(s, sig -> forward(child, sig.getName()));
        f.installed.add(s);
        f.previous.add(old);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // not available on this platform or already used by the JVM
      }
    }
    return f;
  }

  private static void forward(Process child, String signal) {
    if (!child.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-s", signal, Long.toString(child.pid()))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      if (signal.equals("INT") || signal.equals("TERM")) {
        child.destroy();
      }
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      try {
        Signal.handle(installed.get(i), previous.get(i));
      } catch (IllegalArgumentException e) {
        // leave it
      }
    }
  }
}
