package dev.loopguard.cli;

import dev.loopguard.core.rules.Rule;
import dev.loopguard.core.rules.Rules;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code loopguard rules}: lists the rules. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List the rules.")
final class RulesCommand implements Callable<Integer> {
  private final Io io;

  RulesCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    for (Rule r : Rules.all()) {
      io.out().println(r.id() + "  " + r.card().title());
    }
    io.out().flush();
    return ExitCode.OK.code();
  }
}
