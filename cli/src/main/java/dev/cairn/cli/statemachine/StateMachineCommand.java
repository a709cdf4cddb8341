package dev.cairn.cli.statemachine;

import dev.cairn.cli.CairnCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cairn statemachine}: run Amazon States Language definitions locally. */
@Command(
    name = "statemachine",
    mixinStandardHelpOptions = true,
    description = {
      "Run Amazon States Language (JSONPath) state machines locally, on a virtual clock,",
      "with Task responses from a Step Functions Local MockConfigFile."
    },
    subcommands = {StateMachineRunCommand.class})
public final class StateMachineCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CairnCli.EXIT_USAGE;
  }
}
