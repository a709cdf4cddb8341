package dev.cairn.cli.docs;

import dev.cairn.cli.CairnCli;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One documented {@code cairn …} command, checked against the CLI's own picocli model: every
 * command word must name a subcommand and every flag an option of the command it is given to.
 * Values are not checked (they are often placeholders such as {@code <service>}).
 */
final class CairnInvocation {

  private CairnInvocation() {}

  /** The words after the program name, or empty when the command is not {@code cairn}. */
  static Optional<List<String>> arguments(List<String> words) {
    if (words.isEmpty()) {
      return Optional.empty();
    }
    String program = words.get(0);
    if (program.equals("cairn") || program.endsWith("/cli/bin/cairn")) {
      return Optional.of(words.subList(1, words.size()));
    }
    int jar = words.indexOf("-jar");
    if (program.equals("java")
        && jar >= 0
        && jar + 1 < words.size()
        && words.get(jar + 1).endsWith("cli/target/cairn.jar")) {
      return Optional.of(words.subList(jar + 2, words.size()));
    }
    return Optional.empty();
  }

  /** Why {@code args} would not parse, or empty when every command and flag exists. */
  static Optional<String> problem(List<String> args) {
    CommandLine cl = CairnCli.commandLine();
    boolean commandsDone = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.matches("<[^<>]+>") || a.equals("...") || a.equals("…")) {
        continue; // a placeholder
      }
      if (a.matches("[0-9]*[<>].*")) {
        if (a.matches("[0-9]*[<>]+&?")) {
          i++; // the redirection's target is the next word
        }
        continue;
      }
      CommandSpec spec = cl.getCommandSpec();
      if (a.startsWith("-") && a.length() > 1) {
        String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        OptionSpec option = spec.findOption(name);
        if (option == null && !name.startsWith("--") && name.length() > 2) {
          // Clustered short options such as -hV.
          for (char c : name.substring(1).toCharArray()) {
            if (spec.findOption("-" + c) == null) {
              return Optional.of(unknownOption(spec, a));
            }
          }
          continue;
        }
        if (option == null) {
          return Optional.of(unknownOption(spec, a));
        }
        if (!a.contains("=") && option.arity().max() > 0 && !option.arity().isVariable()) {
          i += option.arity().max(); // the option's value(s)
        } else if (!a.contains("=") && option.arity().min() > 0) {
          i += option.arity().min();
        }
        continue;
      }
      if (!commandsDone && !cl.getSubcommands().isEmpty()) {
        CommandLine sub = cl.getSubcommands().get(a);
        if (sub == null) {
          if (spec.positionalParameters().isEmpty()) {
            return Optional.of(
                "'"
                    + spec.qualifiedName()
                    + "' has no command '"
                    + a
                    + "'; known: "
                    + String.join(", ", cl.getSubcommands().keySet()));
          }
          commandsDone = true;
          continue;
        }
        cl = sub;
        continue;
      }
      commandsDone = true;
      if (cl.getCommandSpec().positionalParameters().isEmpty() && cl.getSubcommands().isEmpty()) {
        return Optional.of(
            "'" + cl.getCommandSpec().qualifiedName() + "' takes no argument '" + a + "'");
      }
    }
    return Optional.empty();
  }

  private static String unknownOption(CommandSpec spec, String a) {
    return "'"
        + spec.qualifiedName()
        + "' has no option "
        + a
        + "; known: "
        + spec.optionsMap().keySet();
  }
}
