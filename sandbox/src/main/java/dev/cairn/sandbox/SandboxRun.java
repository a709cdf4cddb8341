package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.sandbox.assembly.BundledFiles;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.assembly.UserAssembly;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;

/**
 * {@code cairn sandbox run}: publishes the example service (or, with {@code --cdk-out}, the user's
 * own cloud assembly) as CI would, raises the S3 events no local server emits, and runs the
 * production state machine through stage and prod with the real handler classes, for one scenario.
 * Returns the summary document.
 */
public final class SandboxRun {

  /** The good commit and the next one (deterministic, so runs are comparable). */
  static final String COMMIT_A =
      Sha256.hex("hello-service commit 1".getBytes(StandardCharsets.UTF_8)).substring(0, 40);

  static final String COMMIT_B =
      Sha256.hex("hello-service commit 2".getBytes(StandardCharsets.UTF_8)).substring(0, 40);

  /**
   * @param repoRoot where to look first for an installed {@code sandbox/iam-check} (a Cairn
   *     checkout at or above it); without one, the evaluator the sandbox carries is installed with
   *     npm on first use. The example service and the control plane come from the classpath.
   * @param progress where live progress goes (null: none)
   * @param userApp the user's own cloud assembly to publish and promote instead of the example
   *     service ({@code --cdk-out}), or null for the example
   * @param reuse the running {@code sandbox up} to write into ({@code --reuse}), or null to start
   *     the run's own DynamoDB Local and S3Proxy
   */
  public record Options(
      Path repoRoot, Scenario scenario, PrintStream progress, UserApp userApp, Reuse reuse) {
    /** A run of the example service. */
    public Options(Path repoRoot, Scenario scenario, PrintStream progress) {
      this(repoRoot, scenario, progress, null, null);
    }

    public Options(Path repoRoot, Scenario scenario, PrintStream progress, UserApp userApp) {
      this(repoRoot, scenario, progress, userApp, null);
    }
  }

  /**
   * {@code --cdk-out DIR --service NAME --environments stage=...,prod=...}.
   *
   * @param environments the promotion order the user expects, checked against the installation's
   */
  public record UserApp(Path cdkOut, String service, List<UserAssembly.Environment> environments) {
    public UserApp {
      java.util.Objects.requireNonNull(cdkOut, "cdkOut");
      new ArtifactKey(service, COMMIT_A); // the service name rules of the ledger key
      environments = List.copyOf(environments);
    }
  }

  /** The scenarios {@code --cdk-out} can play on a user's assembly. */
  public static List<Scenario> cdkOutScenarios() {
    return CdkOutScenarios.supported();
  }

  private SandboxRun() {}

  public static ObjectNode run(Options o) throws Exception {
    return run(o, w -> {});
  }

  /** Runs, then lets {@code inspect} look at the world (tests) before the servers stop. */
  static ObjectNode run(Options o, Consumer<SandboxWorld> inspect) throws Exception {
    return run(
        o,
        inspect,
        ControlPlaneAssembly.fromClasspath(
            o.userApp() == null
                ? ControlPlaneAssembly.EXAMPLE_INSTALLATION
                : installationFor(o.userApp())));
  }

  /**
   * The sandbox installation whose environments' stack-name prefixes hold every stack of the user's
   * assembly: the example's ({@code hello-stage}, {@code hello-prod}), else the one for any app
   * ({@code Stage}, {@code Prod}: how CDK names the stacks of Stages called so). A real
   * installation's deploy role may change only the stacks under its prefix; the sandbox does not
   * widen that, it offers a second installation
   * (docs/decisions/2026-12-06-cdk-out-installation.md).
   */
  static String installationFor(UserApp app) throws UserAssemblyRefusedException {
    List<String> installations =
        List.of(
            ControlPlaneAssembly.EXAMPLE_INSTALLATION, ControlPlaneAssembly.ANY_APP_INSTALLATION);
    List<String> offered = new ArrayList<>();
    for (String installation : installations) {
      Map<String, String> prefixes = stackNamePrefixes(installation);
      if (UserAssembly.stacksUnder(app.cdkOut(), app.environments(), prefixes)) {
        return installation;
      }
      offered.add(prefixes.toString());
    }
    throw new UserAssemblyRefusedException(
        UserAssemblyRefusedException.Code.STACK_NAME_OUTSIDE_PREFIX,
        "",
        "stack names",
        "the stacks of "
            + app.cdkOut()
            + " are not all named under one sandbox installation's stack-name prefixes "
            + String.join(" or ", offered)
            + " (environment → prefix; a Cairn installation's deploy role changes only"
            + " <prefix>-* stacks): put your stacks in Stages named Stage and Prod, or name"
            + " them <prefix>-...");
  }

  /** Environment name → {@code stack_name_prefix}, from the installation's config in the jar. */
  static Map<String, String> stackNamePrefixes(String installation) {
    JsonNode config;
    try {
      config =
          Json.parse(
              ControlPlaneAssembly.classpathFile(
                      (installation.isEmpty() ? "" : installation + "/") + "config.json")
                  .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (JsonNode e : config.path("environments")) {
      out.put(e.path("name").asText(), e.path("stack_name_prefix").asText());
    }
    return out;
  }

  /** Runs on {@code assembly} (a test may break its wiring on purpose). */
  static ObjectNode run(Options o, Consumer<SandboxWorld> inspect, ControlPlaneAssembly assembly)
      throws Exception {
    long started = System.nanoTime();
    UserAssembly user = o.userApp() == null ? null : userAssembly(o.userApp(), assembly);
    ScenarioScript script =
        user == null
            ? o.scenario().script()
            : CdkOutScenarios.script(o.scenario(), user)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "scenario "
                                + o.scenario().wireName()
                                + " needs the example service; with --cdk-out use one of "
                                + cdkOutScenarios().stream().map(Scenario::wireName).toList()));
    // The example's copy lives as long as the run: removed when it ends, fails or is interrupted.
    try (Scratch scratch = Scratch.create("cairn-sandbox-example-")) {
      Path example =
          user != null
              ? user.cdkOut()
              : BundledFiles.copy(BundledFiles.EXAMPLE_CDK_OUT, scratch.path().resolve("cdk.out"));
      return run(o, inspect, assembly, user, script, example, started);
    }
  }

  private static ObjectNode run(
      Options o,
      Consumer<SandboxWorld> inspect,
      ControlPlaneAssembly assembly,
      UserAssembly user,
      ScenarioScript script,
      Path example,
      long started)
      throws Exception {
    ProgressPrinter printer = new ProgressPrinter(o.progress());
    try (SandboxWorld w =
        o.reuse() == null
            ? new SandboxWorld(assembly, printer)
            : o.reuse().world(assembly, printer, o.scenario())) {
      try {
        printer.world = w;
        w.notes = printer::note;
        w.repoRoot = o.repoRoot();
        printer.note(
            (o.reuse() == null
                    ? "local services up: DynamoDB Local "
                    : "reusing sandbox up: DynamoDB ")
                + w.dynamoServer.endpoint()
                + (o.reuse() == null ? ", S3Proxy " : ", S3 ")
                + w.s3Server.endpoint()
                + (o.reuse() == null ? "" : "; publishing as service " + w.service));
        if (user != null) {
          w.service = o.userApp().service();
          for (EnvironmentPolicy e : w.chain.environments()) {
            printer.note(
                o.userApp().cdkOut()
                    + " in "
                    + e.name()
                    + ": "
                    + String.join(
                        " → ",
                        user.plan(e.name()).stream()
                            .map(dev.cairn.core.assembly.StackArtifact::stackName)
                            .toList()));
          }
        }
        script.run(new ScenarioContext(w, example, printer));
        ObjectNode summary = summary(o.scenario(), w, 0);
        if (w.attack != null) {
          summary.set("attack", w.attack);
          printer.attack(w.attack);
        }
        summary.set("triggers", RunChecks.triggers(w));
        summary.set("metrics", RunChecks.metrics(w));
        summary.set("alarms", RunChecks.alarms(w));
        summary.set("iam", RunChecks.iam(w, o.repoRoot()));
        printer.checks(summary);
        summary.put("elapsed_ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
        inspect.accept(w);
        return summary;
      } finally {
        // The world is up: a --reuse run took sandbox up's lock, and gives it back.
        if (o.reuse() != null) {
          o.reuse().release();
        }
      }
    }
  }

  static ObjectNode summary(Scenario scenario, SandboxWorld w, long elapsedMs) {
    ObjectNode out = Json.object();
    out.put("scenario", scenario.wireName());
    out.put("elapsed_ms", elapsedMs);
    ArrayNode artifacts = out.putArray("artifacts");
    for (ArtifactKey key : w.published) {
      try {
        w.ledger.find(key).ifPresent(r -> artifacts.add(Json.mapper().valueToTree(r)));
      } catch (dev.cairn.core.ledger.RecordUnauthenticatedException e) {
        // A record the control plane did not write (an attack scenario forged it): shown, not read.
        ObjectNode forged = artifacts.addObject();
        forged.put("service", key.service());
        forged.put("commit_sha", key.commitSha());
        forged.put("unauthenticated", e.failure() + " (" + e.reason() + ")");
      }
    }
    ArrayNode executions = out.putArray("executions");
    ObjectNode perEnvironment = Json.object();
    for (SandboxWorld.Execution e : w.executions) {
      ObjectNode x = executions.addObject();
      x.put("environment", e.environment());
      x.put("name", e.name());
      x.put("status", e.result().status().name());
      if (e.result().error() != null) {
        x.put("error", e.result().error());
        x.put("cause", e.result().cause());
      }
      x.set("failed_states", failedStates(e));
      e.result().statesEntered().forEach(x.putArray("states_visited")::add);
      ObjectNode figures = overhead(w, e);
      x.setAll(figures);
      ObjectNode env =
          perEnvironment.has(e.environment())
              ? (ObjectNode) perEnvironment.get(e.environment())
              : perEnvironment.putObject(e.environment());
      figures
          .fields()
          .forEachRemaining(
              f -> {
                if (f.getValue().isIntegralNumber()) {
                  env.put(f.getKey(), env.path(f.getKey()).asLong() + f.getValue().asLong());
                } else {
                  double sum = env.path(f.getKey()).asDouble() + f.getValue().asDouble();
                  env.put(f.getKey(), Math.round(sum * 1000) / 1000.0);
                }
              });
      env.put("executions", env.path("executions").asInt() + 1);
    }
    out.set("overhead", perEnvironment);
    w.events.detailTypes().forEach(out.putArray("events")::add);
    ObjectNode calls = out.putObject("cloudformation_calls");
    for (EnvironmentPolicy env : w.chain.environments()) {
      ObjectNode perEnv = calls.putObject(env.name());
      new java.util.TreeMap<>(w.cloudFormation.forAccount(env.account()).callCounts())
          .forEach(perEnv::put);
    }
    out.set("deployed_stacks", deployedStacks(w));
    out.set("audit", auditSummary(w));
    return out;
  }

  /**
   * {@code deployed_stacks}: per environment, each stack whose change set was executed, in
   * execution order, with the {@code TemplateURL} and parameters its change set was created with,
   * as CloudFormation received them.
   */
  static ObjectNode deployedStacks(SandboxWorld w) {
    ObjectNode out = Json.object();
    for (EnvironmentPolicy env : w.chain.environments()) {
      ArrayNode list = out.putArray(env.name());
      var cfn = w.cloudFormation.forAccount(env.account());
      Map<String, CreateChangeSetRequest> created = new java.util.HashMap<>();
      for (CreateChangeSetRequest r : cfn.requests(CreateChangeSetRequest.class)) {
        created.putIfAbsent(r.stackName() + "/" + r.changeSetName(), r);
      }
      java.util.Set<String> executed = new java.util.HashSet<>();
      for (ExecuteChangeSetRequest x : cfn.requests(ExecuteChangeSetRequest.class)) {
        String key = x.stackName() + "/" + x.changeSetName();
        CreateChangeSetRequest c = created.get(key);
        if (c == null || !executed.add(key)) {
          continue;
        }
        ObjectNode stack = list.addObject();
        stack.put("stack", x.stackName());
        stack.put("change_set", x.changeSetName());
        stack.put("template_url", c.templateURL());
        ObjectNode parameters = stack.putObject("parameters");
        c.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
      }
    }
    return out;
  }

  /**
   * Reads and checks the user's assembly against the installation before any service starts: the
   * chain comes from the control-plane config parameter the template writes, as the world reads it.
   */
  static UserAssembly userAssembly(UserApp app, ControlPlaneAssembly assembly)
      throws UserAssemblyRefusedException {
    String parameter =
        assembly.function("deployer").environment().get("CONTROL_PLANE_CONFIG_PARAMETER");
    String config =
        assembly.resources("AWS::SSM::Parameter").stream()
            .filter(p -> p.physicalId().equals(parameter))
            .map(p -> p.properties().path("Value").asText())
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("the assembly has no parameter " + parameter));
    dev.cairn.core.pipeline.EnvironmentChain chain =
        dev.cairn.core.pipeline.ControlPlaneConfig.parse(config, "aws").chain();
    java.util.Set<String> buckets = new java.util.TreeSet<>();
    chain.environments().forEach(e -> buckets.add(SandboxWorld.assetBucket(e)));
    java.util.Set<String> repositories = new java.util.TreeSet<>();
    dev.cairn.sandbox.iam.CdkBootstrapTemplate bootstrap =
        dev.cairn.sandbox.iam.CdkBootstrapTemplate.fromClasspath();
    chain
        .environments()
        .forEach(
            e ->
                repositories.add(
                    bootstrap
                        .containerAssetsRepository(e.account(), e.region(), SandboxWorld.QUALIFIER)
                        .name()));
    return UserAssembly.check(
        app.cdkOut(),
        app.environments(),
        chain,
        dev.cairn.sandbox.iam.ResourceHandlerPermissions.TYPES,
        buckets,
        repositories);
  }

  /**
   * The audit chain as {@code cairn audit verify --table … --anchors-bucket …} sees it when the run
   * ends: every stored entry and the stored head, whether the chain holds and agrees with every
   * published anchor, and if not, the first bad sequence with its code and the first anchor that
   * disagrees. The entry count and head are what the table holds, also for a broken chain (the
   * verifier's own count stops at the first bad entry).
   */
  static ObjectNode auditSummary(SandboxWorld w) {
    // The chain's links first (as `cairn audit verify` without --mac-key), then every item's MAC.
    dev.cairn.aws.audit.DynamoDbAuditLog links =
        dev.cairn.aws.audit.DynamoDbAuditLog.withoutMacCheck(
            w.dynamoDb, SandboxWorld.AUDIT_TABLE, w.auditLog.chainId());
    List<ObjectNode> entries = new ArrayList<>();
    links.entries().forEachRemaining(entries::add);
    AuditHead head = links.head();
    AuditVerification chain = AuditChainVerifier.verify(entries.iterator(), head);
    Map<Long, String> logHashes = new TreeMap<>();
    entries.forEach(e -> logHashes.put(e.path("sequence").asLong(), e.path("log_hash").asText()));
    AnchorCheck.Result anchors =
        AnchorCheck.check(
            head.chainId(),
            logHashes,
            chain,
            new S3AnchorStore(w.s3, SandboxWorld.ANCHORS, null).all(head.chainId()));
    ObjectNode a = Json.object();
    a.put("entries", entries.size());
    a.put("head_sequence", head.sequence());
    a.put("head_hash", head.logHash());
    a.put("verified", chain.valid() && anchors.valid());
    a.put("anchors_checked", anchors.anchorsChecked());
    if (!chain.valid()) {
      a.put("first_bad_sequence", chain.firstBadSequence());
      a.put("code", chain.reason().name());
      a.put("detail", chain.detail());
    }
    if (!anchors.valid()) {
      AnchorCheck.Disagreement d = anchors.disagreements().get(0);
      ObjectNode anchor = a.putObject("anchor");
      anchor.put("key", d.anchorKey());
      anchor.put("sequence", d.anchorSequence());
      anchor.put("code", d.reason().name());
      anchor.put("detail", d.detail());
    }
    try {
      w.auditLog.head();
      w.auditLog.entries().forEachRemaining(e -> {});
      a.put("macs_verified", true);
    } catch (dev.cairn.core.ledger.RecordUnauthenticatedException e) {
      a.put("macs_verified", false);
      a.put("unauthenticated", e.itemKey() + " " + e.failure() + " (" + e.reason() + ")");
    }
    return a;
  }

  /**
   * {@link ControlPlaneOverhead}'s figures for one execution, against the CloudFormation operations
   * recorded in its environment's account.
   */
  static ObjectNode overhead(SandboxWorld w, SandboxWorld.Execution e) {
    String account =
        w.chain.environments().stream()
            .filter(p -> p.name().equals(e.environment()))
            .map(EnvironmentPolicy::account)
            .findFirst()
            .orElse("");
    List<dev.cairn.local.emulators.CloudFormationEmulator.Operation> ops = new ArrayList<>();
    w.cloudFormation
        .all()
        .forEach(
            (k, fake) -> {
              if (k.startsWith(account + "/")) {
                ops.addAll(fake.operations());
              }
            });
    return ControlPlaneOverhead.of(e.result().history(), w.machine.definition(), ops);
  }

  /** Every Task that failed in the execution, with its error and cause (caught or not). */
  static ArrayNode failedStates(SandboxWorld.Execution e) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (dev.cairn.asl.HistoryEvent h : e.result().history()) {
      if (h.type().equals("TaskFailed") || h.type().equals("LambdaFunctionFailed")) {
        ObjectNode f = out.addObject();
        f.put("error", h.details().path("error").asText());
        f.put("cause", h.details().path("cause").asText());
      }
    }
    return out;
  }

  /** Live progress: each state with its (virtual) duration, per execution. */
  static final class ProgressPrinter extends dev.cairn.asl.ExecutionTimeline {
    SandboxWorld world;

    ProgressPrinter(PrintStream out) {
      super(out, dev.cairn.core.pipeline.ExecutionLabel::of);
    }

    /** How an attack scenario's attack ended, in one line. */
    void attack(ObjectNode attack) {
      if (out == null) {
        return;
      }
      out.println(
          "ATTACK "
              + attack.path("outcome").asText()
              + ": "
              + attack.path("code").asText()
              + " — stopped by "
              + attack.path("stopped_by").asText()
              + "; prod "
              + (attack.path("prod_changed").asBoolean() ? "CHANGED" : "unchanged"));
      out.flush();
    }

    /** The closing lines: one per IAM denial, then the IAM and alarm summaries. */
    void checks(ObjectNode summary) {
      if (out == null) {
        return;
      }
      com.fasterxml.jackson.databind.JsonNode iam = summary.path("iam");
      if (iam.has("evaluator")) {
        out.println("IAM: not checked (" + iam.path("reason").asText() + ")");
      } else {
        iam.path("denied").forEach(d -> out.println("IAM DENIED: " + call(d)));
        iam.at("/negative_controls/allowed_by_mistake")
            .forEach(d -> out.println("IAM ALLOWED BY MISTAKE: " + call(d)));
        out.println(
            "IAM: "
                + iam.path("calls_checked").asInt()
                + " calls checked, "
                + iam.path("denied").size()
                + " denied; "
                + iam.at("/negative_controls/checked").asInt()
                + " negative controls, "
                + iam.at("/negative_controls/allowed_by_mistake").size()
                + " allowed by mistake");
      }
      java.util.Map<String, Integer> states = new java.util.TreeMap<>();
      java.util.List<String> firing = new java.util.ArrayList<>();
      for (com.fasterxml.jackson.databind.JsonNode a : summary.path("alarms")) {
        states.merge(a.path("state").asText(), 1, Integer::sum);
        if (a.path("state").asText().equals("ALARM")) {
          firing.add(a.path("name").asText());
        }
      }
      out.println(
          "Alarms: "
              + states
              + (firing.isEmpty() ? "" : "; in ALARM: " + String.join(", ", firing)));
      out.flush();
    }

    /** principal action on resource (deciding statement). */
    private static String call(com.fasterxml.jackson.databind.JsonNode d) {
      return d.path("principal").asText()
          + " "
          + d.path("action").asText()
          + " on "
          + d.path("resource").asText()
          + " ("
          + d.path("statement").asText()
          + ")";
    }

    void note(String line) {
      if (out != null) {
        out.println("• " + line);
        out.flush();
      }
    }
  }
}
