package dev.cairn.contextgen.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Standalone entry point for the bless flow ({@code java -cp ... ContextTool bless|fetch}), the
 * same commands {@code cairn context} mounts.
 */
@Command(
    name = "cairn-context",
    mixinStandardHelpOptions = true,
    description = "Bless and fetch signed CDK contexts.",
    subcommands = {ContextBlessCommand.class, ContextFetchCommand.class})
public final class ContextTool {
  private ContextTool() {}

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new ContextTool());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parse) -> {
          cmd.getErr().println("error: " + ex.getMessage());
          return 2;
        });
    System.exit(cl.execute(args));
  }
}
