package dev.cairn.cli;

import dev.cairn.cli.manifest.ManifestVerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cairn} command: for CI (manifest, publish, context) and for operators (status,
 * override, audit, sandbox).
 *
 * <p>Exit codes, for every subcommand: 0 success, 1 verification (or the checked condition) failed,
 * 2 usage or I/O error.
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnVersion.class,
    description = {
      "Deploy AWS CDK applications as signed, immutable artifacts.",
      "Cairn refuses to deploy anything it cannot verify."
    },
    subcommands = {
      // Each subcommand lives in its own package; add one line here per command group.
      HelpCommand.class,
      dev.cairn.cli.context.ContextCommand.class,
      dev.cairn.cli.key.KeyCommand.class,
      dev.cairn.cli.trust.TrustCommand.class,
      dev.cairn.cli.manifest.ManifestCommand.class,
      dev.cairn.cli.statemachine.StateMachineCommand.class,
      dev.cairn.cli.publish.PublishCommand.class,
      // sandbox: added by commandLine(), from cairn-sandbox.jar (see SandboxJarCommand).
      dev.cairn.cli.status.StatusCommand.class,
      dev.cairn.cli.audit.AuditCommand.class,
      dev.cairn.cli.kpi.KpiCommand.class,
      dev.cairn.cli.dashboard.DashboardCommand.class,
      dev.cairn.cli.evidence.EvidenceCommand.class,
      dev.cairn.cli.override.OverrideCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error"
    })
public final class CairnCli {

  /** Success. */
  public static final int EXIT_OK = 0;

  /** Verification (or the checked condition) failed. */
  public static final int EXIT_FAILED = 1;

  /** Usage or I/O error. */
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    // cairn.jar has SLF4J's API (the AWS SDK logs through it) and no provider: the CLI speaks to
    // its user on stdout and stderr, not through a logger. Without this SLF4J warns of the missing
    // provider on every command that makes an AWS call. (cairn-sandbox.jar has logback.)
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    int exit;
    try {
      exit = commandLine(args).execute(args);
    } catch (Throwable t) {
      // An Error picocli does not handle (OutOfMemoryError): report it and exit, rather than leave
      // the sandbox's server threads keeping a dead command alive.
      System.err.println("error: " + t);
      exit = EXIT_USAGE;
    }
    System.exit(exit);
  }

  /**
   * The command line that runs {@code args}. When the first word names a command group ({@code
   * manifest}, {@code audit}, ...), only that group is built, under a root of the same name and
   * settings; when the second names one of the group's commands, only that command: building every
   * command's model is about a fifth of a second of single-threaded start-up, and CI's {@code
   * manifest verify} or an auditor's {@code audit verify} would wait for all of it before the first
   * byte is read. What the user sees is the same either way ({@code CommandLineForArgsTest}).
   * {@code help} and {@code sandbox}, and anything else, get the whole tree.
   */
  public static CommandLine commandLine(String[] args) {
    Class<?> group = args.length >= 1 ? subcommand(CairnCli.class, args[0]) : null;
    if (group == null || group == HelpCommand.class) {
      return commandLine();
    }
    String groupName = group.getAnnotation(Command.class).name();
    Class<?> leaf = args.length >= 2 ? subcommand(group, args[1]) : null;
    if (leaf == ManifestVerifyCommand.class) {
      // Hashing is nearly all of a verify, and at full speed only once the JIT has compiled
      // SHA-256: it starts compiling now, while picocli reads the options.
      ManifestVerifyCommand.warmUpSha256();
    }
    CommandLine groupLine;
    if (leaf == null) {
      groupLine = new CommandLine(group);
    } else {
      // The group's own model (its options, its list of commands) shows only in its own help and
      // errors, which a command of it never prints.
      groupLine =
          new CommandLine(
              CommandLine.Model.CommandSpec.wrapWithoutInspection(null)
                  .name(groupName)
                  .addSubcommand(args[1], new CommandLine(leaf)));
    }
    return configured(
        new CommandLine(
            CommandLine.Model.CommandSpec.create()
                .name("cairn")
                .addSubcommand(groupName, groupLine)));
  }

  /** The subcommand class of {@code parent} named {@code name}, or null. */
  private static Class<?> subcommand(Class<?> parent, String name) {
    for (Class<?> sub : parent.getAnnotation(Command.class).subcommands()) {
      Command command = sub.getAnnotation(Command.class);
      if (command != null && command.name().equals(name)) {
        return sub;
      }
    }
    return null;
  }

  /** The configured command line, shared by main and tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CairnCli());
    CommandLine sandbox = new CommandLine(SandboxJarCommand.command());
    if (sandbox.getCommand() instanceof SandboxJarCommand) {
      // Every word and option goes to the sandbox jar's own command, --help included.
      sandbox.setUnmatchedOptionsArePositionalParams(true);
      sandbox.setStopAtPositional(true);
    }
    cl.addSubcommand(sandbox);
    return configured(cl);
  }

  private static CommandLine configured(CommandLine cl) {
    // '@file' is a value convention of some options (statemachine run --input @file), not an
    // argument file: picocli must not expand it.
    cl.setExpandAtFiles(false);
    cl.setUsageHelpWidth(100);
    // -V comes with every command's standard options; without this only the root would print the
    // version (a subcommand has no provider of its own and prints nothing).
    withVersion(cl);
    cl.setExitCodeExceptionMapper(t -> EXIT_USAGE);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("error: " + ex.getMessage());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("error: " + ex.getMessage());
          return EXIT_USAGE;
        });
    return cl;
  }

  private static void withVersion(CommandLine cl) {
    cl.getCommandSpec().versionProvider(new CairnVersion());
    cl.getSubcommands().values().forEach(CairnCli::withVersion);
  }
}
