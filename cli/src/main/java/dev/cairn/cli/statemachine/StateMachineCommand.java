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
      "Run Amazon States Language state machines locally, on a virtual clock.",
      "JSONPath definitions; Task responses come from a Step Functions Local MockConfigFile."
    },
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
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
