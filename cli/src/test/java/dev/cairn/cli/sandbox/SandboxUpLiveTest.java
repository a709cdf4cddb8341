package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The newcomer's path, for real: {@code cairn sandbox up} (in this JVM, as a second shell would
 * reach it: only through the endpoints it prints), then {@code cairn publish} of the signed
 * example, {@code cairn status --watch} until prod is deployed, and {@code cairn override submit}
 * answered by the live world's override handler.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxUpLiveTest {

  static final String COMMIT = "5a1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c9d0e";

  @TempDir static Path dir;
  static RunningSandbox sandbox;
  static final Map<String, String> env = new LinkedHashMap<>();

  /** The SDK's system-property twins of the variables `sandbox up` prints. */
  static final Map<String, String> PROPERTY =
      Map.of(
          "AWS_ENDPOINT_URL_DYNAMODB", "aws.endpointUrlDynamoDb",
          "AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3",
          "AWS_ENDPOINT_URL_LAMBDA", "aws.endpointUrlLambda",
          "AWS_ENDPOINT_URL_SFN", "aws.endpointUrlSfn",
          "AWS_ENDPOINT_URL_KMS", "aws.endpointUrlKms",
          "AWS_ENDPOINT_URL_STS", "aws.endpointUrlSts",
          "AWS_ACCESS_KEY_ID", "aws.accessKeyId",
          "AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey",
          "AWS_SESSION_TOKEN", "aws.sessionToken",
          "AWS_REGION", "aws.region");

  @BeforeAll
  static void sandboxUp() throws Exception {
    // S3's event reaches the rule 2 real seconds after the upload (after the registrar): at 60x
    // that is 2 virtual minutes, well inside the sweeper's 5-minute grace for a missed event even
    // on a loaded machine, so the S3 rule starts stage, as in AWS.
    sandbox = RunningSandbox.start(Path.of("..").toAbsolutePath().normalize(), 60);
    env.putAll(sandbox.exports());
    env.forEach(
        (k, v) -> {
          if (PROPERTY.containsKey(k)) {
            System.setProperty(PROPERTY.get(k), v);
          }
        });
  }

  @AfterAll
  static void sandboxDown() throws Exception {
    sandbox.close();
    PROPERTY.values().forEach(System::clearProperty);
  }

  /** Everything {@code sandbox up} printed so far. */
  static String upOut() {
    return sandbox.output();
  }

  record Run(int exit, String out, String err) {}

  static Run cairn(String... args) {
    CommandLine cl = CairnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  @Order(1)
  void up_printsOneExportLinePerService() {
    assertThat(env)
        .containsKeys(
            "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_ENDPOINT_URL_S3",
            "AWS_ENDPOINT_URL_LAMBDA",
            "AWS_ENDPOINT_URL_SFN",
            "AWS_ENDPOINT_URL_KMS",
            "AWS_ENDPOINT_URL_STS",
            "CAIRN_TRUST_POLICY",
            "CAIRN_SANDBOX_CI_KEY",
            "CAIRN_SANDBOX_CONTEXT_BLESS");
    assertThat(upOut()).doesNotContain("Initializing DynamoDB Local", "SLF4J", "sqlite");
  }

  @Test
  @Order(2)
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void publish_thenStatusWatch_followsTheArtifactUntilProdIsDeployed() throws Exception {
    Path cdkOut = dir.resolve("cdk.out");
    ExampleCdkOut.copyTo(cdkOut);
    String identity = line("CI's signing identity: ([^;]+);");
    String contextHash = line("blessed context hash: ([0-9a-f]+);");
    String cliVersion = line("CDK CLI version: (\\S+)");
    // As the workflow orders it: cdk-assets first (it leaves its zips in cdk.out/.cache, which
    // the manifest then lists), then the manifest over the whole directory.
    publishAssets(cdkOut);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var built =
        ManifestFactory.create(
            new LocalDirectoryArtifactSource(cdkOut),
            new ManifestFactory.BuildFacts(
                    "hello-service",
                    COMMIT,
                    "refs/heads/main",
                    true,
                    cliVersion,
                    contextHash,
                    Map.of("aws-cdk-lib", "2.263.0"),
                    now.toString(),
                    42)
                .withCommitTime(now.minusSeconds(600).toString()));
    // The bless the context came from, as `cairn context fetch --bless-out` writes it (the file
    // sandbox up names in CAIRN_SANDBOX_CONTEXT_BLESS).
    var bless =
        dev.cairn.core.context.ContextBlessReference.fromJson(
                Json.parse(Files.readAllBytes(Path.of(env.get("CAIRN_SANDBOX_CONTEXT_BLESS")))))
            .orElseThrow();
    var unsigned = ManifestFactory.withContextBless(built, bless);
    Path manifest = dir.resolve("artifact-manifest.json");
    Files.writeString(manifest, Json.pretty(unsigned));
    // CI signs with KMS, over the local KMS endpoint: the key the installation's trust policy pins.
    Run sign =
        cairn(
            "manifest",
            "sign",
            "--manifest",
            manifest.toString(),
            "--signing-identity",
            identity,
            "--kms-key-id",
            identity.substring("kms:".length()));
    assertThat(sign.exit()).as(sign.err()).isZero();
    Run publish =
        cairn(
            "publish",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--cdk-out",
            cdkOut.toString(),
            "--manifest",
            manifest.toString(),
            "--candidate-bucket",
            "cdk-artifacts-candidate",
            "--trust-policy",
            env.get("CAIRN_TRUST_POLICY"));
    assertThat(publish.exit()).as(publish.err() + publish.out()).isZero();
    assertThat(publish.out()).contains("PUBLISHED hello-service @ " + COMMIT);

    Run watch =
        cairn(
            "status",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--watch",
            "--interval",
            "0.5");
    assertThat(watch.exit()).as(watch.err() + watch.out() + upOut()).isZero();
    assertThat(watch.out())
        .containsPattern("▶ DeployArtifactPipeline  stage  5a1e0b7d3a5f  \\(trigger s3\\)")
        .containsPattern("▶ DeployArtifactPipeline  prod  5a1e0b7d3a5f  \\(trigger s3\\)")
        .containsPattern("(?m)^    VerifyManifest +Task")
        .containsPattern("(?m)^    CheckAlarms ×\\d+ +loop +10m")
        .contains("■ ExecutionSucceeded")
        .containsPattern("(?m)^  prod +deployed");
    // IAM decided every call as it was made, and refused none.
    assertThat(upOut()).doesNotContain("• IAM denied");
    // The same lines sandbox up printed as the executions ran.
    assertThat(upOut()).contains("▶ DeployArtifactPipeline  prod  5a1e0b7d3a5f");
  }

  @Test
  @Order(3)
  void overrideSubmit_reachesTheLiveOverrideHandler() throws Exception {
    var keys = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    Path key = dir.resolve("mallory.key.pem");
    Files.writeString(key, PemKeys.toPem(keys.getPrivate()));
    Path request = dir.resolve("rollback.json");
    Run create =
        cairn(
            "override",
            "create",
            "--action",
            "rollback",
            "--environment",
            "prod",
            "--installation-id",
            "000000000000:us-east-1",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "INC-1: try the live override path",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-mallory",
            "--key",
            key.toString(),
            "--out",
            request.toString());
    assertThat(create.exit()).as(create.err()).isZero();
    String function = line("override (\\S+)");
    Run submit =
        cairn(
            "override",
            "submit",
            "--request",
            request.toString(),
            "--function-name",
            function,
            "--format",
            "json");
    // ops-mallory is no operator the installation trusts: the handler's own refusal, with its code.
    assertThat(submit.out() + submit.err()).contains("OVERRIDE_").contains("ops-mallory");
    assertThat(submit.exit()).isEqualTo(CairnCli.EXIT_FAILED);
  }

  private static String line(String regex) {
    Matcher m = Pattern.compile(regex).matcher(upOut());
    assertThat(m.find()).as("%s in %s", regex, upOut()).isTrue();
    return m.group(1).strip();
  }

  /**
   * CI's {@code cdk-assets publish} before {@code cairn publish}: the pinned {@code cdk-assets}
   * (tools/cdk-assets), as the README's block runs it, with the variables sandbox up printed. It
   * assumes each target account's file-publishing role through the sandbox's STS.
   */
  private static void publishAssets(Path cdkOut) throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    Path cdkAssets = repo.resolve("tools/cdk-assets/node_modules/.bin/cdk-assets");
    assertThat(cdkAssets).as("npm ci in tools/cdk-assets (the build runs it)").exists();
    try (var files = Files.walk(cdkOut)) {
      for (Path assets :
          files.filter(p -> p.getFileName().toString().endsWith(".assets.json")).toList()) {
        ProcessBuilder pb =
            new ProcessBuilder(cdkAssets.toString(), "publish", "--path", assets.toString())
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out + upOut()).isZero();
      }
    }
  }
}
