package dev.cairn.cli.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.asl.Asl;
import dev.cairn.asl.AslDefinitionException;
import dev.cairn.asl.AslExecutor;
import dev.cairn.asl.DefinitionSubstitutions;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.asl.ExecutionResult;
import dev.cairn.asl.ExecutionStatus;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.asl.MockConfig;
import dev.cairn.asl.StateMachine;
import dev.cairn.asl.VirtualClock;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn statemachine run}: execute one definition with the local ASL executor. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Execute an ASL definition with the local executor, on a virtual clock.",
      "The definition uses the JSONPath query language. Wait states, retry back-off and timeouts"
          + " run on a virtual clock, so an hour of state machine time takes milliseconds.",
      "Task states are answered by the test case's mocked responses (Step Functions Local"
          + " MockConfigFile format); a Task with no mock fails with States.Runtime, naming the"
          + " state and resource."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn statemachine run --definition machine.asl.json --input '{\"a\":1}'",
      "",
      "  cairn statemachine run \\",
      "      --definition statemachines/deploy-artifact-pipeline.asl.json \\",
      "      --input=@input.json \\",
      "      --mock-config MockConfigFile.json --test-case HappyPath \\",
      "      -s MaxRollbackAttempts=2 --format json --history",
      "",
      "JSON output (--format json) is exactly one object:",
      "  {\"status\": \"SUCCEEDED|FAILED|TIMED_OUT|ABORTED\", \"output\": <JSON or null>,",
      "   \"error\": <string or null>, \"cause\": <string or null>[, \"history\": [...]]}"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the execution SUCCEEDED",
      "1:the execution FAILED, TIMED_OUT or was ABORTED",
      "2:usage error, unreadable file, invalid JSON or invalid definition"
    })
public final class StateMachineRunCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Spec CommandSpec spec;

  @Option(
      names = {"-d", "--definition"},
      required = true,
      paramLabel = "FILE",
      description = "The ASL definition (JSON).")
  Path definition;

  @Option(
      names = {"-i", "--input"},
      defaultValue = "{}",
      paramLabel = "JSON|@FILE",
      description =
          "Execution input: inline JSON, or @path to read it from a file (default: {}). Write"
              + " the file form as --input=@path: a separate @path argument is expanded as an"
              + " argument file, which strips the JSON's quotes.")
  String input;

  @Option(
      names = "--input-file",
      paramLabel = "FILE",
      description = "Read the execution input from FILE (same as --input=@FILE).")
  Path inputFile;

  @Option(
      names = "--mock-config",
      paramLabel = "FILE",
      description = "A Step Functions Local MockConfigFile with mocked Task responses.")
  Path mockConfig;

  @Option(
      names = "--test-case",
      paramLabel = "NAME",
      description = "The MockConfigFile test case to use (requires --mock-config).")
  String testCase;

  @Option(
      names = "--state-machine-name",
      paramLabel = "NAME",
      description =
          "State machine name: selects the MockConfigFile entry and appears in"
              + " $$$$.StateMachine. Default: the MockConfigFile entry that defines --test-case,"
              + " else the file name.")
  String stateMachineName;

  @Option(
      names = {"-s", "--substitution"},
      paramLabel = "KEY=VALUE",
      description = "Fill a $${KEY} placeholder, as CDK DefinitionSubstitutions does. Repeatable.")
  Map<String, String> substitutions = new LinkedHashMap<>();

  @Option(
      names = "--execution-name",
      paramLabel = "NAME",
      defaultValue = "local-execution",
      description = "The execution name ($$$$.Execution.Name). Default: ${DEFAULT-VALUE}.")
  String executionName;

  @Option(
      names = "--start-time",
      paramLabel = "INSTANT",
      description = "Virtual start time, e.g. 2026-01-01T00:00:00Z. Default: now.")
  String startTime;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "Seed for retry jitter, States.UUID and States.MathRandom. Default: 0.")
  long seed;

  @Option(names = "--history", description = "Include the execution history.")
  boolean history;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "text|json",
      description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  Format format;

  private final Clock wallClock;

  /** Uses the system clock for the default start time. */
  public StateMachineRunCommand() {
    this(Clock.systemUTC());
  }

  StateMachineRunCommand(Clock wallClock) {
    this.wallClock = wallClock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Prepared run = prepare();
      ExecutionListener listener =
          format == Format.text
              ? new ExecutionListener() {
                @Override
                public void onStateCompleted(String name, String type, Duration duration) {
                  out.printf(Locale.ROOT, "  %-40s %-9s %s%n", name, type, human(duration));
                  out.flush();
                }
              }
              : ExecutionListener.none();
      ExecutionResult result =
          AslExecutor.builder()
              .mocks(run.mocks())
              .random(new Random(seed))
              .listener(listener)
              .build()
              .execute(run.machine(), run.input(), executionName, new VirtualClock(run.start()));
      if (format == Format.json) {
        out.println(Asl.write(result.toJson(history)));
      } else {
        printText(out, result, run.start());
      }
      out.flush();
      return result.status() == ExecutionStatus.SUCCEEDED ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
    } catch (AslDefinitionException e) {
      err.println("error: " + e.getMessage());
      return CairnCli.EXIT_USAGE;
    } catch (UsageError e) {
      err.println("error: " + e.getMessage());
      return CairnCli.EXIT_USAGE;
    }
  }

  private record Prepared(
      StateMachine machine, JsonNode input, MockConfig.TaskMocks mocks, Instant start) {}

  private static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  private Prepared prepare() {
    if ((mockConfig == null) != (testCase == null)) {
      throw new UsageError("--mock-config and --test-case must be given together");
    }
    String text =
        DefinitionSubstitutions.apply(
            read(definition, CliIo.Input.STATE_MACHINE_DEFINITION), substitutions);
    JsonNode executionInput = parseJson(readInput(), "--input");
    Instant start;
    try {
      start = startTime == null ? wallClock.instant() : Instant.parse(startTime);
    } catch (DateTimeParseException e) {
      throw new UsageError("--start-time is not an ISO-8601 instant: " + startTime);
    }
    MockConfig.TaskMocks mocks = MockConfig.TaskMocks.none();
    String name = stateMachineName;
    if (mockConfig != null) {
      MockConfig config;
      try {
        config =
            new MockConfig(parseJson(read(mockConfig, CliIo.Input.MOCK_CONFIG), "--mock-config"));
      } catch (IllegalArgumentException e) {
        throw new UsageError(mockConfig + ": " + e.getMessage());
      }
      if (name == null) {
        List<String> candidates = config.stateMachinesWithTestCase(testCase);
        if (candidates.isEmpty()) {
          throw new UsageError(mockConfig + " defines no test case '" + testCase + "'");
        }
        if (candidates.size() > 1) {
          throw new UsageError(
              "test case '"
                  + testCase
                  + "' is defined for several state machines "
                  + candidates
                  + "; choose one with --state-machine-name");
        }
        name = candidates.get(0);
      }
      try {
        mocks = config.testCase(name, testCase);
      } catch (IllegalArgumentException e) {
        throw new UsageError(mockConfig + ": " + e.getMessage());
      }
    }
    if (name == null) {
      name = defaultName(definition);
    }
    return new Prepared(StateMachine.parse(name, text), executionInput, mocks, start);
  }

  private String readInput() {
    if (inputFile != null) {
      return read(inputFile, CliIo.Input.STATE_MACHINE_INPUT);
    }
    if (input.startsWith("@")) {
      return read(Path.of(input.substring(1)), CliIo.Input.STATE_MACHINE_INPUT);
    }
    return input;
  }

  private static String read(Path file, CliIo.Input kind) {
    try {
      return CliIo.readString(file, kind);
    } catch (CliIo.UsageException e) {
      throw new UsageError(e.getMessage());
    }
  }

  private static JsonNode parseJson(String text, String what) {
    try {
      return Asl.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageError(what + ": " + e.getMessage());
    }
  }

  static String defaultName(Path file) {
    String n = file.getFileName().toString();
    for (String suffix : List.of(".asl.json", ".json", ".asl.yaml")) {
      if (n.endsWith(suffix)) {
        n = n.substring(0, n.length() - suffix.length());
        break;
      }
    }
    return n.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private void printText(PrintWriter out, ExecutionResult result, Instant start) {
    if (history) {
      out.println("history:");
      for (HistoryEvent e : result.history()) {
        out.printf(
            Locale.ROOT,
            "  %4d %-8s %-28s %s%n",
            e.id(),
            "+" + human(Duration.between(start, e.timestamp())),
            e.type(),
            e.stateName());
      }
    }
    out.println("status: " + result.status());
    if (result.output() != null) {
      out.println("output: " + Asl.write(result.output()));
    }
    if (result.error() != null) {
      out.println("error:  " + result.error());
    }
    if (result.cause() != null) {
      out.println("cause:  " + result.cause());
    }
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + "ms";
    }
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }
}
