package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code cairn audit verify} runs on a command line built with only the audit commands (start-up);
 * what a user sees of it is what the full command line shows.
 */
class AuditVerifyCommandLineTest {

  @Test
  void auditVerify_builtAlone_hasTheFullTreesHelp() {
    String[] args = {"audit", "verify", "--help"};
    CommandLine alone = CairnCli.commandLine(args);
    assertThat(alone.getSubcommands()).containsOnlyKeys("audit");
    assertThat(run(alone, args)).isEqualTo(run(CairnCli.commandLine(), args)).contains("--file");
  }

  @Test
  void auditVerify_builtAlone_reportsUsageErrorsAsTheFullTree() {
    String[] args = {"audit", "verify", "--no-such-option"};
    String alone = run(CairnCli.commandLine(args), args);
    assertThat(alone).isEqualTo(run(CairnCli.commandLine(), args));
    assertThat(alone).contains("Try 'cairn audit verify --help'.");
  }

  @Test
  void otherCommands_getTheFullTree() {
    assertThat(CairnCli.commandLine(new String[] {"audit", "export"}).getSubcommands())
        .containsKeys("manifest", "audit", "sandbox");
  }

  private static String run(CommandLine cl, String[] args) {
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int exit = cl.execute(args);
    return exit + "\n" + out;
  }
}
