package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.ArtifactRejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Each Lambda's log lines, as CloudWatch Logs would receive them: the real handler (built by its
 * composition root in the sandbox world) on a real event, logging through the configuration every
 * Lambda jar ships ({@code lambdas/logging/log4j2.xml}, Powertools' JSON layout). Every line must
 * be a JSON object, carry the correlation keys the invocation knows ({@code service}, {@code
 * commit_sha}, {@code environment}, {@code execution_id}, {@code audit_sequence} once an entry is
 * written, {@code failure_code} on a refusal), and no signature from the input may appear.
 */
class HandlerLogsTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path SHIPPED_CONFIG = REPO.resolve("lambdas/logging/log4j2.xml");
  static SandboxWorld world;

  /** Everything printed on stdout while the class runs; each invocation reads what it added. */
  static final ByteArrayOutputStream STDOUT = new ByteArrayOutputStream();

  static PrintStream original;

  @BeforeAll
  static void start() throws Exception {
    world = new SandboxWorld(ExecutionListener.none());
    // The console appender takes System.out when its configuration starts (and log4j keeps that
    // stream across reconfigurations): swap it once, then load the shipped configuration.
    original = System.out;
    System.setOut(new PrintStream(STDOUT, true, StandardCharsets.UTF_8));
    Configurator.reconfigure(SHIPPED_CONFIG.toUri());
  }

  @AfterAll
  static void stop() {
    System.setOut(original);
    Configurator.reconfigure();
    world.close();
  }

  /** What one invocation printed: its JSON lines, and the raw text for the secrets check. */
  record Captured(
      String function, List<ObjectNode> lines, String raw, JsonNode result, Throwable error) {

    /**
     * The function's own lines. In the sandbox, DynamoDB Local and S3Proxy run in the same JVM and
     * log on their own threads (JSON too, without the Lambda context); in Lambda they do not exist.
     */
    List<ObjectNode> logLines() {
      return lines.stream()
          .filter(l -> l.path("function_name").asText().equals("cairn-" + function))
          .toList();
    }

    ObjectNode last() {
      List<ObjectNode> l = logLines();
      return l.get(l.size() - 1);
    }
  }

  static synchronized Captured invoke(String function, String event) throws Exception {
    STDOUT.reset();
    JsonNode result = null;
    Throwable error = null;
    try {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      world
          .functions
          .get(function)
          .handler()
          .handleRequest(
              new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
              response,
              new FunctionContext("cairn-" + function));
      result = Json.parse(response.toByteArray());
    } catch (Exception | Error e) {
      error = e;
    }
    System.out.flush();
    String raw = STDOUT.toString(StandardCharsets.UTF_8);
    List<ObjectNode> lines = new ArrayList<>();
    for (String line : raw.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode parsed = Json.parse(line.getBytes(StandardCharsets.UTF_8));
      assertThat(parsed.isObject()).as("every line is a JSON object: %s", line).isTrue();
      lines.add((ObjectNode) parsed);
    }
    Captured c = new Captured(function, lines, raw, result, error);
    assertThat(c.logLines()).as("%s's lines in %s", function, raw).isNotEmpty();
    assertThat(c.logLines().get(0).path("message").asText()).isEqualTo("invocation started");
    for (ObjectNode l : c.logLines()) {
      assertThat(l.path("function_request_id").asText()).isNotBlank();
      assertThat(l.has("level")).as("%s", l).isTrue();
      assertThat(l.has("timestamp")).as("%s", l).isTrue();
    }
    return c;
  }

  static String event(String name, String commit) throws Exception {
    return Files.readString(Path.of("src/test/resources/events/" + name))
        .replace("${COMMIT}", commit);
  }

  static void everyLineCarries(Captured c, Map<String, String> keys) {
    for (ObjectNode l : c.logLines()) {
      keys.forEach((k, v) -> assertThat(l.path(k).asText()).as("%s on %s", k, l).isEqualTo(v));
    }
  }

  static String manifestSignature(String commit) throws Exception {
    String key = ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "artifact-manifest.json";
    JsonNode manifest =
        Json.parse(
            world
                .s3
                .getObjectAsBytes(r -> r.bucket(SandboxWorld.CANDIDATE).key(key))
                .asByteArray());
    String signature = manifest.path("signature").asText();
    assertThat(signature).hasSizeGreaterThan(40);
    return signature;
  }

  static Map<String, String> artifact(String commit) {
    return Map.of(
        "service",
        SandboxWorld.SERVICE,
        "commit_sha",
        commit,
        "environment",
        "stage",
        "execution_id",
        "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1");
  }

  @Test
  void manifestVerifier_accepts_linesCarryTheArtifact_andNoAuditSequenceItDidNotWrite()
      throws Exception {
    String commit = "a111111111111111111111111111111111111111";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    Captured c = invoke("manifest-verifier", event("verify.json", commit));

    assertThat(c.error()).isNull();
    everyLineCarries(c, artifact(commit));
    assertThat(c.last().path("message").asText()).isEqualTo("invocation completed");
    // An accepted artifact's verdict is the report in S3 and the execution's output; the ledger
    // moves at AcquireLease. No entry written, so no audit_sequence to point at.
    assertThat(c.logLines()).noneMatch(l -> l.has("audit_sequence"));
    assertThat(c.raw()).doesNotContain(manifestSignature(commit));
  }

  @Test
  void manifestVerifier_rejects_lineNamesTheGateAndFailureCode() throws Exception {
    String commit = "a222222222222222222222222222222222222222";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    world.s3.putObject(
        r ->
            r.bucket(SandboxWorld.CANDIDATE)
                .key(ArtifactLayout.prefix(SandboxWorld.SERVICE, commit) + "manifest.json"),
        RequestBody.fromString("{\"version\":\"54.0.0\",\"artifacts\":{}}"));

    Captured c = invoke("manifest-verifier", event("verify.json", commit));

    assertThat(c.error()).isInstanceOf(ArtifactRejected.class);
    everyLineCarries(c, artifact(commit));
    assertThat(c.last().path("failure_code").asText()).isEqualTo("FILE_MODIFIED");
    assertThat(c.last().path("gate").asText()).isEqualTo("FILE_INTEGRITY");
    assertThat(c.last().path("error_name").asText())
        .isEqualTo("dev.cairn.core.pipeline.ArtifactRejected");
    assertThat(c.raw()).doesNotContain(manifestSignature(commit));
  }

  @Test
  void deployer_acquiresTheLease_linesCarryTheLeasesAuditSequence() throws Exception {
    String commit = "a333333333333333333333333333333333333333";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    Captured c = invoke("deployer", event("acquire-lease.json", commit));

    assertThat(c.error()).isNull();
    everyLineCarries(c, artifact(commit));
    assertThat(c.logLines())
        .anySatisfy(l -> assertThat(l.path("message").asText()).isEqualTo("audit entry written"));
    assertThat(c.last().path("audit_sequence").asText()).matches("[1-9][0-9]*");
    assertThat(c.raw()).doesNotContain(manifestSignature(commit));
  }

  @Test
  void registrar_linesCarryTheArtifact_andNotTheManifestSignature() throws Exception {
    String commit = "a444444444444444444444444444444444444444";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});

    Captured c =
        invoke(
            "registrar",
            "{\"service\":\"" + SandboxWorld.SERVICE + "\",\"commit_sha\":\"" + commit + "\"}");

    assertThat(c.error()).isNull();
    everyLineCarries(c, Map.of("service", SandboxWorld.SERVICE, "commit_sha", commit));
    if (c.result().has("failure")) {
      assertThat(c.last().path("failure_code").asText())
          .isEqualTo(c.result().path("failure").asText());
    }
    assertThat(c.raw()).doesNotContain(manifestSignature(commit));
  }

  @Test
  void override_refusesAForgedRequest_lineNamesTheFailureCode_andNeverTheSignature()
      throws Exception {
    String commit = "a555555555555555555555555555555555555555";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    ObjectNode request =
        (ObjectNode)
            Json.parse(
                Files.readAllBytes(
                    REPO.resolve("schema/examples/override-request/valid-rollback.json")));
    request.put("service", SandboxWorld.SERVICE);
    request.put("commit_sha", commit);
    String signature = request.path("signature").asText();

    Captured c = invoke("override", Json.compact(request));

    assertThat(c.error()).isNull();
    assertThat(c.result().path("outcome").asText()).isEqualTo("refused");
    everyLineCarries(c, Map.of("service", SandboxWorld.SERVICE, "commit_sha", commit));
    assertThat(c.last().path("failure_code").asText())
        .isEqualTo(c.result().path("failure").asText())
        .isNotBlank();
    assertThat(c.last().path("level").asText()).isEqualTo("WARN");
    assertThat(c.raw()).doesNotContain(signature);
    // A refusal is audited: its entry's sequence is on the line.
    assertThat(c.last().path("audit_sequence").asText()).matches("[1-9][0-9]*");
  }

  @Test
  void sweeper_andAnchorer_logJsonLines_withoutArtifactKeysTheyDoNotHave() throws Exception {
    for (String function : List.of("sweeper", "audit-anchorer")) {
      Captured c =
          invoke(function, "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\"}");
      assertThat(c.error()).as(function).isNull();
      assertThat(c.last().path("message").asText()).isEqualTo("invocation completed");
      assertThat(c.last().path("service").isTextual())
          .as("%s: Powertools' own service name is not the deployed service", function)
          .isFalse();
    }
  }

  @Test
  void finalizer_linesCarryTheExecutionsArtifact() throws Exception {
    String commit = "a666666666666666666666666666666666666666";
    world.publish(REPO.resolve("examples/hello-service/cdk.out"), commit, d -> {});
    String execution =
        "arn:aws:states:us-east-1:000000000000:execution:DeployArtifactPipeline:s3-1";
    ObjectNode input = Json.object();
    input.put("service", SandboxWorld.SERVICE);
    input.put("commit_sha", commit);
    input.put("environment", "stage");
    ObjectNode event = Json.object();
    event.put("detail-type", "Step Functions Execution Status Change");
    event.put("source", "aws.states");
    ObjectNode detail = event.putObject("detail");
    detail.put("executionArn", execution);
    detail.put("name", "s3-1");
    detail.put("status", "FAILED");
    detail.put("startDate", 1795338000000L);
    detail.put("stopDate", 1795338840000L);
    detail.put("input", Json.compact(input));

    Captured c = invoke("finalizer", Json.compact(event));

    everyLineCarries(c, artifact(commit));
    assertThat(c.raw()).doesNotContain(manifestSignature(commit));
  }

  @Test
  void aMalformedEvent_isLoggedAsAnError_withItsName() throws Exception {
    Captured c = invoke("deployer", "{\"action\":\"no_such_action\"}");

    assertThat(c.error()).isInstanceOf(IllegalArgumentException.class);
    assertThat(c.last().path("level").asText()).isEqualTo("ERROR");
    assertThat(c.last().path("error_name").asText()).isEqualTo("IllegalArgumentException");
  }

  /** The Lambda context's fields Powertools reads: function name, version, request id. */
  record FunctionContext(String name) implements Context {
    @Override
    public String getAwsRequestId() {
      return "8f5c2d9e-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + name;
    }

    @Override
    public String getLogStreamName() {
      return "2026/11/22/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
      return name;
    }

    @Override
    public String getFunctionVersion() {
      return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:us-east-1:000000000000:function:" + name + ":live";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 60_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return null;
    }
  }
}
