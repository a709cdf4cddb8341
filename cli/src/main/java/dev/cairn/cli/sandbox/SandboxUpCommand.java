package dev.cairn.cli.sandbox;

import dev.cairn.cli.CairnCli;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.Scratch;
import dev.cairn.sandbox.live.LiveControlPlane;
import dev.cairn.schema.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn sandbox up}. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run Cairn's control plane locally, live, until interrupted.",
      "Runs what `cdk synth` produces for Cairn (the tables, buckets, rules, schedules, Lambdas with",
      "their roles, the production state machine and the emulated stage and prod accounts) on",
      "DynamoDB Local and S3Proxy on loopback, as `sandbox run` does, but on a clock that follows",
      "real time, --time-scale times faster. A `cairn publish` to the candidate bucket raises S3's",
      "Object Created event and the synthesized rule starts the pipeline; `cairn status --watch`",
      "follows it. Prints one export line per service for the AWS SDK's standard variables, the",
      "credentials of an operator's session (the tools account's administrator) for your shell,",
      "and those of a session of the CI role (cdk-ci-artifact-builder) as CAIRN_SANDBOX_CI_*.",
      "S3, KMS, Lambda, STS and Step Functions answer only credentials this sandbox issued, and",
      "IAM decides each call as it is made, with the synthesized policies: a denied call gets",
      "AWS's AccessDenied and prints a line. Data lives in memory; Ctrl-C stops everything."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "2:a server could not start (port in use?)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn sandbox up                       # then, in another shell, paste the export lines",
      "  cairn sandbox up --time-scale 600 --port 4567 --dynamodb-port 8001 --s3-port 9001"
    })
public final class SandboxUpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "4566",
      description =
          "The port of the endpoint that serves S3, KMS, Lambda, STS and Step Functions (0: any"
              + " free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--dynamodb-port",
      paramLabel = "P",
      defaultValue = "8000",
      description = "DynamoDB Local port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int dynamoDbPort;

  @Option(
      names = "--s3-port",
      paramLabel = "Q",
      defaultValue = "9000",
      description =
          "The port of S3Proxy, which holds the buckets behind the endpoint (0: any free port)."
              + " Default: ${DEFAULT-VALUE}.")
  int s3Port;

  @Option(
      names = "--time-scale",
      paramLabel = "N",
      defaultValue = "60",
      description =
          "Virtual seconds per real second: 60 runs a ten-minute bake in ten seconds. Default:"
              + " ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where to write what CI needs to publish the example: the trust policy the sandbox's"
              + " control plane pins, CI's private key and the blessed context; kept when the"
              + " sandbox stops. Default: a new temporary directory, removed when it stops.")
  Path stateDir;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "The Cairn checkout (for the IAM evaluator). Default: the current directory.")
  Path repo;

  @Option(
      names = "--verbose",
      description =
          "Also print the local services' own log lines (DynamoDB Local, sqlite4java, S3Proxy,"
              + " Jetty), which are hidden by default.")
  boolean verbose;

  @Option(
      names = "--exit-when-ready",
      hidden = true,
      description = "Stop right after start-up (smoke tests).")
  boolean exitWhenReady;

  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile LiveControlPlane running;

  /** The running control plane (tests that start the command in-process). */
  public LiveControlPlane running() {
    return running;
  }

  /** Stops a command started in-process (what Ctrl-C does). */
  public void stop() {
    stop.countDown();
  }

  @Override
  public Integer call() throws InterruptedException, IOException {
    if (verbose) {
      // Before any local service starts or anything logs: their configuration reads it then.
      dev.cairn.local.servers.LocalServicesLog.verbose();
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(timeScale > 0)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--time-scale must be a positive number, not " + timeScale);
    }
    PrintStream timeline =
        new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
    LiveControlPlane plane;
    try {
      plane =
          LiveControlPlane.start(
              new LiveControlPlane.Options(dynamoDbPort, s3Port, port, timeScale, timeline, repo));
    } catch (RuntimeException e) {
      err.println("error: the sandbox could not start: " + rootMessage(e));
      return CairnCli.EXIT_USAGE;
    }
    running = plane;
    Thread hook = new Thread(stop::countDown, "cairn-sandbox-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    // A --state-dir is the user's and stays; the default one goes when the sandbox stops, by
    // close() below or, on Ctrl-C, by its own shutdown hook.
    Scratch scratch = stateDir != null ? null : Scratch.create("cairn-sandbox-");
    try {
      Path dir = stateDir != null ? Files.createDirectories(stateDir) : scratch.path();
      return serve(plane, hook, dir, out);
    } finally {
      if (scratch != null) {
        scratch.close();
      }
    }
  }

  /** Writes the state files, prints the export lines, then runs until stopped. */
  private int serve(LiveControlPlane plane, Thread hook, Path dir, PrintWriter out)
      throws InterruptedException, IOException {
    Path trust = dir.resolve("trust-policy.json");
    Path key = dir.resolve("ci-signer.pem");
    Files.writeString(trust, Json.pretty(plane.world().trustPolicy()));
    Files.writeString(key, plane.world().ciSignerPem());
    Path context = dir.resolve("context.json");
    Files.write(context, plane.world().blessedContext());
    Path contextBless = dir.resolve("context-bless.json");
    Files.writeString(contextBless, plane.world().contextBlessJson());
    out.println(
        "# Cairn sandbox is up: the synthesized control plane, live, at "
            + (timeScale == Math.rint(timeScale)
                ? Long.toString((long) timeScale)
                : Double.toString(timeScale))
            + "x real time.");
    out.println("# tables:  " + String.join(", ", TableDefinition.ALL));
    out.println("# buckets: " + String.join(", ", plane.world().buckets()));
    out.println("# candidate bucket: " + plane.world().candidateBucket());
    out.println("# Paste into another shell so every cairn (and aws) command uses the sandbox:");
    // Tools that read only the general variable (or an older SDK) reach every service but
    // DynamoDB there; the per-service lines name each one.
    out.println("export AWS_ENDPOINT_URL=" + plane.endpoint().uri());
    for (Map.Entry<String, java.net.URI> e : plane.endpoints().entrySet()) {
      out.println("export AWS_ENDPOINT_URL_" + e.getKey() + "=" + e.getValue());
    }
    var operator = plane.operatorSession();
    out.println(
        "# Your shell's credentials: a session of "
            + operator.principalArn()
            + " (the tools account's administrator; no template creates it), until "
            + operator.expiration()
            + ":");
    out.println("export AWS_ACCESS_KEY_ID=" + operator.accessKeyId());
    out.println("export AWS_SECRET_ACCESS_KEY=" + operator.secretAccessKey());
    out.println("export AWS_SESSION_TOKEN=" + operator.sessionToken());
    var ci = plane.ciSession();
    out.println(
        "# CI's credentials, what the workflow's credentials step leaves behind: a session of "
            + ci.principalArn()
            + ":");
    out.println("export CAIRN_SANDBOX_CI_ACCESS_KEY_ID=" + ci.accessKeyId());
    out.println("export CAIRN_SANDBOX_CI_SECRET_ACCESS_KEY=" + ci.secretAccessKey());
    out.println("export CAIRN_SANDBOX_CI_SESSION_TOKEN=" + ci.sessionToken());
    out.println("export AWS_REGION=us-east-1");
    // The store behind the S3 endpoint, for `sandbox run --reuse` (it writes there directly).
    out.println("export CAIRN_SANDBOX_S3PROXY=" + plane.s3Proxy());
    out.println("export CAIRN_TRUST_POLICY=" + trust);
    out.println("export CAIRN_SANDBOX_CI_KEY=" + key);
    out.println("export CAIRN_SANDBOX_CONTEXT=" + context);
    out.println("export CAIRN_SANDBOX_CONTEXT_BLESS=" + contextBless);
    // The repository variables the committed workflow reads (vars.CAIRN_*), for this sandbox.
    out.println("export CAIRN_REGION=us-east-1");
    out.println("export CAIRN_TOOLS_ACCOUNT=" + plane.world().account());
    out.println("export CAIRN_CONTEXTS_BUCKET=" + plane.world().contextsBucket());
    out.println("export CAIRN_CANDIDATE_BUCKET=" + plane.world().candidateBucket());
    out.println("export CAIRN_FIRST_ENVIRONMENT=" + plane.world().firstEnvironment());
    out.println(
        "# CI's signing identity: "
            + plane.world().ciSigningIdentity()
            + "; blessed context hash: "
            + plane.world().contextHash()
            + "; CDK CLI version: "
            + plane.world().cdkCliVersion());
    out.println(
        "# functions: registrar "
            + plane.world().functionName("registrar")
            + ", override "
            + plane.world().functionName("override"));
    out.println(
        plane.iamInline()
            ? "# IAM decides every call as it is made (the synthesized policies, the independent"
                + " evaluator); each refused call prints a line."
            : "# WARNING: no IAM evaluator (node and npm on PATH install it): calls are NOT"
                + " decided.");
    out.println("# Ctrl-C stops the sandbox; its data is in memory only.");
    out.flush();
    try {
      if (!exitWhenReady) {
        stop.await();
      }
    } finally {
      if (exitWhenReady || stop.getCount() == 0) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the JVM is already stopping; the control plane closes below all the same.
        }
      }
      out.println("# IAM: " + plane.world().inlineIamCost());
      out.flush();
      plane.close();
      running = null;
    }
    return CairnCli.EXIT_OK;
  }

  /** The timeline lines go to the command's standard output, as they are printed. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter out;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      out.print(line.toString(StandardCharsets.UTF_8));
      out.flush();
      line.reset();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
