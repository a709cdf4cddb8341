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
              if (!name.equals("help") && sub.getCommandName().equals(name)) {
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

  @Test
  void unknownOption_exitsTwoWithHint() {
    CliRunner.Result r = CliRunner.run("manifest", "verify", "--no-such-option");
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("--help");
  }
}
