package dev.cairn.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn help [COMMAND...]}: the help of any command, nested ones included ({@code cairn help
 * manifest verify}). Picocli's own help command resolves only one name, so {@code help manifest
 * verify} would print the {@code manifest} group's help.
 */
@Command(
    name = "help",
    helpCommand = true,
    mixinStandardHelpOptions = true,
    description = {
      "Show the help of any command, nested ones included.",
      "For example: cairn help manifest verify. Without a command, shows the help of cairn."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:help shown", "2:an unknown command"})
public final class HelpCommand implements IHelpCommandInitializable2, Runnable {

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command path.")
  List<String> path = List.of();

  private CommandLine self;
  private ColorScheme colorScheme;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine,
      ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colorScheme = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : path) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(
            self,
            "unknown command '"
                + name
                + "' in '"
                + target.getCommandSpec().qualifiedName()
                + "'; known: "
                + String.join(", ", target.getSubcommands().keySet()));
      }
      target = sub;
    }
    target.usage(out, colorScheme);
  }
}
