package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A command of a group ({@code cairn manifest verify}, {@code cairn audit verify}, ...) runs on a
 * command line built with only its group (start-up); what a user sees of it is what the whole
 * command line shows: its help, its usage errors, its version.
 */
class CommandLineForArgsTest {

  /** Every command under a group, {@code "manifest verify"}, ..., and the groups themselves. */
  static Stream<String> groupCommands() {
    List<String> paths = new ArrayList<>();
    CairnCli.commandLine()
        .getSubcommands()
        .forEach(
            (name, group) -> {
              if (!name.equals("help") && !name.equals("sandbox")) {
                collect(group, name, paths);
              }
            });
    return paths.stream();
  }

  private static void collect(CommandLine cl, String path, List<String> out) {
    out.add(path);
    cl.getSubcommands().forEach((name, sub) -> collect(sub, path + " " + name, out));
  }

  @ParameterizedTest(name = "cairn {0}: built alone")
  @MethodSource("groupCommands")
  void aGroupsCommand_isBuiltWithItsGroupOnly(String command) {
    String[] words = command.split(" ");
    CommandLine group =
        CairnCli.commandLine(argv(command, "--help")).getSubcommands().get(words[0]);
    assertThat(CairnCli.commandLine(argv(command, "--help")).getSubcommands())
        .containsOnlyKeys(words[0]);
    if (words.length >= 2) {
      // A group's command: the group holds only that command.
      assertThat(group.getSubcommands()).containsOnlyKeys(words[1]);
    } else {
      assertThat(group.getSubcommands())
          .containsOnlyKeys(
              CairnCli.commandLine().getSubcommands().get(words[0]).getSubcommands().keySet());
    }
  }

  @ParameterizedTest(name = "cairn {0} --help")
  @MethodSource("groupCommands")
  void help_isTheWholeTreesHelp(String command) {
    assertSameAsWholeTree(argv(command, "--help"));
  }

  @ParameterizedTest(name = "cairn {0} --no-such-option")
  @MethodSource("groupCommands")
  void usageErrors_areTheWholeTreesErrors(String command) {
    assertSameAsWholeTree(argv(command, "--no-such-option"));
  }

  @ParameterizedTest(name = "cairn {0} -V")
  @MethodSource("groupCommands")
  void version_isTheWholeTreesVersion(String command) {
    assertSameAsWholeTree(argv(command, "-V"));
  }

  @Test
  void aMistypedSubcommand_isReportedAsTheWholeTreeReportsIt() {
    assertSameAsWholeTree(new String[] {"manifest", "verfy"});
  }

  @Test
  void help_sandbox_unknownWords_andNoWords_getTheWholeTree() {
    for (String[] args :
        List.of(
            new String[] {"help", "manifest", "verify"},
            new String[] {"sandbox", "run"},
            new String[] {"frobnicate"},
            new String[] {"--help"},
            new String[] {})) {
      assertThat(CairnCli.commandLine(args).getSubcommands())
          .as(String.join(" ", args))
          .containsKeys("manifest", "audit", "sandbox", "help");
    }
  }

  private static void assertSameAsWholeTree(String[] args) {
    String alone = run(CairnCli.commandLine(args), args);
    assertThat(alone).isEqualTo(run(CairnCli.commandLine(), args));
  }

  private static String[] argv(String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int exit = cl.execute(args);
    return exit + "\n" + out;
  }
}
