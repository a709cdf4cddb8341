package dev.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HelpOnEveryCommandTest {

  static Stream<String> commands() {
    List<String> paths = new ArrayList<>();
    collect(CairnCli.commandLine(), "", paths);
    return paths.stream();
  }

  private static void collect(CommandLine cl, String prefix, List<String> out) {
    out.add(prefix.trim());
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandName().equals(name)) {
                collect(sub, prefix + " " + name, out);
              }
            });
  }

  @Test
  void everyCairnCommandOfThisIssueIsRegistered() {
    assertThat(commands())
        .contains(
            "",
            "key",
            "key generate",
            "trust",
            "trust init",
            "manifest",
            "manifest create",
            "manifest sign",
            "manifest verify");
  }

  @ParameterizedTest(name = "cairn {0} --help")
  @MethodSource("commands")
  void help_printsUsageAndExitsZero(String command) {
    List<String> args =
        new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Usage: cairn" + (command.isEmpty() ? "" : " " + command));
  }

  private static String[] argv(String command, String... more) {
    List<String> args =
        new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * The summary a parent's command list shows is the first line of the description: a whole
   * sentence, short enough for the list's column, never cut mid-sentence.
   */
  @ParameterizedTest(name = "cairn {0}: one-sentence summary")
  @MethodSource("commands")
  void summary_isOneWholeSentence(String command) {
    CommandLine cl = commandLine(command);
    String[] description = cl.getCommandSpec().usageMessage().description();
    assertThat(description).as("description of cairn %s", command).isNotEmpty();
    String summary = description[0];
    assertThat(summary).as("summary of cairn %s", command).endsWith(".").hasSizeLessThan(85);
    assertThat(summary.substring(0, summary.length() - 1))
        .as("one sentence: cairn %s", command)
        .doesNotContain(". ");
  }

  @ParameterizedTest(name = "cairn {0} --help: exit codes")
  @MethodSource("commands")
  void help_listsExitCodes(String command) {
    CliRunner.Result r = CliRunner.run(argv(command, "--help"));
    assertThat(r.out()).as(r.toString()).containsPattern("(?m)^Exit codes.*:$");
    assertThat(r.out()).containsPattern("(?m)^  0   ").containsPattern("(?m)^  2   ");
    // A code the command never returns is left out, never listed as "-".
    assertThat(r.out()).doesNotContainPattern("(?m)^  \\d   -\\s*$");
  }

  @ParameterizedTest(name = "cairn {0} -V")
  @MethodSource("commands")
  void version_isPrintedByEveryCommand(String command) {
    CliRunner.Result r = CliRunner.run(argv(command, "-V"));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("cairn ");
  }

  @ParameterizedTest(name = "cairn help {0}")
  @MethodSource("commands")
  void helpCommand_showsTheNamedCommandsHelp(String command) {
    CliRunner.Result r = CliRunner.run(argv("help " + command));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("Usage: cairn" + (command.isEmpty() ? "" : " " + command) + " ");
  }

  @Test
  void helpCommand_whenCommandUnknown_exitsTwoNamingIt() {
    CliRunner.Result r = CliRunner.run("help", "manifest", "frobnicate");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err())
        .contains("frobnicate")
        .contains("create, sign, canonical, attach-signature, verify");
  }

  /**
   * Every example in a help text can be pasted: a command line continues only after a trailing
   * backslash, on an indented line; picocli never wrapped it into the next line.
   */
  @ParameterizedTest(name = "cairn {0} --help: examples not wrapped")
  @MethodSource("commands")
  void help_examplesAreWholeCommandLines(String command) {
    String[] lines = CliRunner.run(argv(command, "--help")).out().split("\\R");
    for (int i = 0; i + 1 < lines.length; i++) {
      String line = lines[i];
      String next = lines[i + 1];
      if (!line.stripLeading().startsWith("cairn ")) {
        continue;
      }
      if (line.endsWith("\\")) {
        assertThat(next).as("continuation of: %s", line).startsWith("  ");
      } else {
        assertThat(next.isBlank() || next.startsWith("  ") || next.endsWith(":"))
            .as("the line after \"%s\" is \"%s\": a wrapped command", line, next)
            .isTrue();
      }
    }
  }

  private static CommandLine commandLine(String command) {
    CommandLine cl = CairnCli.commandLine();
    if (!command.isEmpty()) {
      for (String name : command.split(" ")) {
        cl = cl.getSubcommands().get(name);
      }
    }
    return cl;
  }

  @Test
  void unknownOption_exitsTwoWithHint() {
    CliRunner.Result r = CliRunner.run("manifest", "verify", "--no-such-option");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("--help");
  }
}
