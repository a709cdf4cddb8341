package dev.cairn.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.cli.sandbox.RunningSandbox;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * {@code sandbox run --reuse} twice into one {@code sandbox up} (in this JVM, reached only through
 * the endpoints it prints, as their system-property twins), then {@code cairn kpi} and {@code cairn
 * dashboard} on that history, the dashboard's every AWS call recorded to prove it reads only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardReuseTest {

  static final Map<String, String> PROPERTY =
      Map.of(
          "AWS_ENDPOINT_URL_DYNAMODB", "aws.endpointUrlDynamoDb",
          "AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3",
          "CAIRN_SANDBOX_S3PROXY", "cairn.sandboxS3Proxy",
          "AWS_SESSION_TOKEN", "aws.sessionToken",
          "AWS_ENDPOINT_URL_KMS", "aws.endpointUrlKms",
          "AWS_ACCESS_KEY_ID", "aws.accessKeyId",
          "AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey",
          "AWS_REGION", "aws.region");

  /** What a read-only client may call: reads, and KMS's MAC check. */
  static final Pattern READ =
      Pattern.compile("(Get|List|Describe|Query|Scan|Head|BatchGet|VerifyMac).*");

  static RunningSandbox sandbox;

  @BeforeAll
  static void sandboxUp() throws Exception {
    sandbox = RunningSandbox.start(Path.of("..").toAbsolutePath().normalize(), 60);
    sandbox
        .exports()
        .forEach(
            (name, value) -> {
              if (PROPERTY.containsKey(name)) {
                System.setProperty(PROPERTY.get(name), value);
              }
            });
  }

  @AfterAll
  static void sandboxDown() throws Exception {
    sandbox.close();
    PROPERTY.values().forEach(System::clearProperty);
  }

  static JsonNode run(String scenario) {
    CliRunner.Result r =
        CliRunner.run(
            "sandbox",
            "run",
            "--reuse",
            "--scenario",
            scenario,
            "--format",
            "json",
            "--repo",
            Path.of("..").toAbsolutePath().normalize().toString());
    assertThat(r.exit()).as("%s", r).isZero();
    return r.json();
  }

  @Test
  @Order(1)
  void twoScenariosInARow_accumulateInOneLedgerAndChain() {
    JsonNode happy = run("happy");
    assertThat(happy.at("/artifacts/0/service").asText()).isEqualTo("sandbox-run-happy");
    assertThat(happy.at("/artifacts/0/status").asText()).isEqualTo("promoted");
    long afterHappy = happy.at("/audit/entries").asLong();

    JsonNode smoke = run("prod-smoke-fails");
    assertThat(smoke.at("/artifacts/1/service").asText()).isEqualTo("sandbox-run-prod-smoke-fails");
    assertThat(smoke.at("/artifacts/1/environment_states/prod/status").asText())
        .isEqualTo("rollback_succeeded");
    // One chain: the second run appended to the first's, and the whole verifies with its anchors.
    assertThat(smoke.at("/audit/entries").asLong()).isGreaterThan(afterHappy);
    assertThat(smoke.at("/audit/verified").asBoolean()).as("%s", smoke.get("audit")).isTrue();

    // The same scenario again is a new service: nothing collides.
    assertThat(run("happy").at("/artifacts/0/service").asText()).isEqualTo("sandbox-run-happy-2");
  }

  @Test
  @Order(2)
  void kpi_seesEveryRun() {
    // The runs' virtual clocks run ahead of this one (bakes): the window ends after them.
    CliRunner.Result r =
        CliRunner.run(
            "kpi",
            "--all",
            "--since",
            "2026-01-01",
            "--until",
            "2100-01-01",
            "--table",
            "cdk-audit-log",
            "--format",
            "json");
    assertThat(r.exit()).as("%s", r).isZero();
    JsonNode services = r.json().path("services");
    assertThat(services.has("sandbox-run-happy")).isTrue();
    assertThat(services.has("sandbox-run-prod-smoke-fails")).isTrue();
    // happy twice (one prod deployment each), prod-smoke-fails: the good one and the failed one.
    assertThat(r.json().at("/all/deployment_frequency/prod_deployments").asInt()).isEqualTo(4);
    assertThat(r.json().at("/all/rollback_rate/rollbacks").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void dashboard_showsTheHistory_andMakesReadCallsOnly() throws Exception {
    CommandLine cl = CairnCli.commandLine();
    DashboardCommand dashboard = cl.getSubcommands().get("dashboard").getCommand();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    Thread t = new Thread(() -> cl.execute("dashboard", "--port", "0"));
    t.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (dashboard.url() == null) {
        assertThat(System.nanoTime()).as("dashboard printed: %s", out).isLessThan(deadline);
        Thread.sleep(50);
      }
      RecordedCalls.CALLS.clear();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(dashboard.url()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("uPlot.iife.min.js").doesNotContain("https://");
      HttpResponse<String> api =
          http.send(
              HttpRequest.newBuilder(dashboard.url().resolve("api/overview")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
      JsonNode o = Json.parse(api.body());
      assertThat(o.at("/audit/verdict").asText()).as("%s", o.get("audit")).isEqualTo("verified");
      List<String> services = new ArrayList<>();
      o.path("artifacts").forEach(a -> services.add(a.path("service").asText()));
      assertThat(services)
          .contains("sandbox-run-happy", "sandbox-run-happy-2", "sandbox-run-prod-smoke-fails");
      JsonNode timeline = o.path("timelines").fields().next().getValue().get(0).path("correlation");
      assertThat(timeline.has("audit_sequence")).isTrue();
      assertThat(o.at("/kpis/all/rollback_rate/rollbacks").asInt()).isEqualTo(1);

      // A write method is refused outright.
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(dashboard.url().resolve("api/overview"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      // DNS rebinding: a page under another name cannot read it.
      // (HttpClient will not send another Host: the request is written by hand.)
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", dashboard.url().getPort())) {
        s.getOutputStream()
            .write(
                ("GET /api/audit HTTP/1.1\r\nHost: evil.example:"
                        + dashboard.url().getPort()
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String status =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                .readLine();
        assertThat(status).isEqualTo("HTTP/1.1 403 Forbidden");
      }

      List<RecordedCalls.Call> made =
          RecordedCalls.CALLS.stream().filter(c -> c.thread().equals("cairn-dashboard")).toList();
      assertThat(made).as("the dashboard made AWS calls").isNotEmpty();
      assertThat(made).allSatisfy(c -> assertThat(c.operation()).as("%s", c).matches(READ));
    } finally {
      dashboard.stop();
      t.join(10_000);
    }
  }

  @Test
  @Order(4)
  void reuse_withoutARunningSandbox_isRefusedWithExit2() {
    String dynamo = System.getProperty("aws.endpointUrlDynamoDb");
    String s3 = System.getProperty("aws.endpointUrlS3");
    try {
      // A port nothing listens on (the dashboard's, now closed, would do; 9 is discard).
      System.setProperty("aws.endpointUrlDynamoDb", "http://127.0.0.1:9");
      System.setProperty("aws.endpointUrlS3", "http://127.0.0.1:9");
      CliRunner.Result r = CliRunner.run("sandbox", "run", "--reuse", "--scenario", "happy");
      assertThat(r.exit()).as("%s", r).isEqualTo(2);
      assertThat(r.err()).contains("no `cairn sandbox up` answers at AWS_ENDPOINT_URL_DYNAMODB");
    } finally {
      System.setProperty("aws.endpointUrlDynamoDb", dynamo);
      System.setProperty("aws.endpointUrlS3", s3);
    }
  }
}
