package dev.cairn.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written policies through the real iam-simulate process: each test names the IAM rule it
 * shows. The build installs sandbox/iam-check (npm ci at initialize), so a missing evaluator is a
 * failure, not a skip, unless the build was told Node is unavailable (-Diam.check.skip=true).
 */
class IamEvaluatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111111111111";
  private static final String OTHER_ACCOUNT = "222222222222";
  private static final String DEPLOYER = "arn:aws:iam::" + ACCOUNT + ":role/cairn-deployer";
  private static final String READER = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/artifact-reader";
  private static final String OBJECT = "arn:aws:s3:::cairn-artifacts/svc/abc/manifest.json";
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static IamEvaluator evaluator;

  @BeforeAll
  static void locate() {
    assumeFalse(Boolean.getBoolean("iam.check.skip"), "built with -Diam.check.skip=true");
    evaluator =
        IamEvaluator.locate(Path.of(""), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(60))
            .orElseThrow(
                () ->
                    new AssertionError(
                        "node on PATH and sandbox/iam-check/node_modules are needed: run npm ci"
                            + " in sandbox/iam-check"));
  }

  @Test
  void evaluate_whenIdentityPolicyGrants_allowsAndNamesTheStatement() {
    IamDecision decision =
        one(
            IamRequest.identityOnly(
                DEPLOYER,
                "s3:GetObject",
                OBJECT,
                ACCOUNT,
                List.of(
                    policy(
                        allow(
                            "ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*")))));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.decision()).isEqualTo("Allowed");
    assertThat(decision.statement()).isEqualTo("ReadArtifacts");
  }

  @Test
  void evaluate_aCloudFormationTransform_unlistedInTheReference_isDecidedByThePolicies() {
    // The User Guide documents CreateChangeSet on arn:...:aws:transform/<name>; the Service
    // Authorization Reference lists no such resource type, which iam-simulate would refuse.
    String sam = "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31";
    List<JsonNode> policies =
        List.of(policy(allow("ExpandTheSamTransform", "cloudformation:CreateChangeSet", sam)));

    IamDecision granted =
        one(
            IamRequest.identityOnly(
                DEPLOYER, "cloudformation:CreateChangeSet", sam, ACCOUNT, policies));
    IamDecision include =
        one(
            IamRequest.identityOnly(
                DEPLOYER,
                "cloudformation:CreateChangeSet",
                "arn:aws:cloudformation:us-east-1:aws:transform/Include",
                ACCOUNT,
                policies));

    assertThat(granted.decision()).isEqualTo("Allowed");
    assertThat(include.decision()).isEqualTo("ImplicitlyDenied");
  }

  @Test
  void evaluate_whenStatementHasNoSid_namesPolicyIndexAndStatementJson() {
    JsonNode named =
        json(
            """
            {"name": "DeployerPolicy", "policy": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::other"},
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::cairn-artifacts/*"}
            ]}}
            """);

    IamDecision decision =
        one(IamRequest.identityOnly(DEPLOYER, "s3:GetObject", OBJECT, ACCOUNT, List.of(named)));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.statement())
        .isEqualTo(
            "identity:DeployerPolicy#2"
                + " {\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::cairn-artifacts/*\"}");
  }

  @Test
  void evaluate_whenNoStatementGrants_implicitlyDenies() {
    IamDecision decision =
        one(
            IamRequest.identityOnly(
                DEPLOYER,
                "s3:DeleteObject",
                OBJECT,
                ACCOUNT,
                List.of(
                    policy(
                        allow(
                            "ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*")))));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(decision.statement()).isEqualTo("no Allow in identity policy");
  }

  @Test
  void evaluate_whenDenyMatches_explicitDenyWinsOverAllowAndIsNamed() {
    IamDecision decision =
        one(
            IamRequest.identityOnly(
                DEPLOYER,
                "s3:DeleteObject",
                OBJECT,
                ACCOUNT,
                List.of(
                    policy(allow("EverythingInS3", "s3:*", "*")),
                    policy(
                        deny(
                            "NeverDeleteArtifacts",
                            "s3:DeleteObject",
                            "arn:aws:s3:::cairn-artifacts/*")))));

    assertThat(decision.decision()).isEqualTo("ExplicitlyDenied");
    assertThat(decision.explicitlyDenied()).isTrue();
    assertThat(decision.statement()).isEqualTo("NeverDeleteArtifacts");
  }

  @Test
  void evaluate_whenBoundaryExcludesAction_implicitlyDenies() {
    JsonNode boundary = policy(allow("BoundaryReadOnly", "s3:GetObject", "*"));
    List<JsonNode> identity = List.of(policy(allow("EverythingInS3", "s3:*", "*")));

    IamDecision write =
        one(
            new IamRequest(
                DEPLOYER, "s3:PutObject", OBJECT, ACCOUNT, identity, boundary, null, Map.of()));
    IamDecision read =
        one(
            new IamRequest(
                DEPLOYER, "s3:GetObject", OBJECT, ACCOUNT, identity, boundary, null, Map.of()));

    assertThat(write.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(write.statement()).isEqualTo("no Allow in permissions boundary");
    assertThat(read.allowed()).isTrue();
    assertThat(read.statement()).isEqualTo("EverythingInS3");
  }

  @Test
  void evaluate_whenCrossAccountWithoutBucketPolicy_implicitlyDenies() {
    IamDecision decision =
        one(
            new IamRequest(
                READER,
                "s3:GetObject",
                OBJECT,
                ACCOUNT,
                List.of(
                    policy(
                        allow("ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*"))),
                null,
                null,
                Map.of()));

    assertThat(decision.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(decision.statement()).isEqualTo("no Allow in resource policy (cross-account)");
  }

  @Test
  void evaluate_whenCrossAccountWithBucketPolicy_allowsAndNamesBothGrants() {
    JsonNode bucketPolicy =
        json(
            """
            {"Version": "2012-10-17", "Statement": [{"Sid": "ReaderAccount", "Effect": "Allow",
              "Principal": {"AWS": "%s"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::cairn-artifacts/*"}]}
            """
                .formatted(READER));

    IamDecision decision =
        one(
            new IamRequest(
                READER,
                "s3:GetObject",
                OBJECT,
                ACCOUNT,
                List.of(
                    policy(
                        allow("ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*"))),
                null,
                bucketPolicy,
                Map.of()));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.statement()).isEqualTo("ReadArtifacts + ReaderAccount");
  }

  @Test
  void evaluate_whenCrossAccountBucketPolicyGrantsButIdentityDoesNot_implicitlyDenies() {
    JsonNode bucketPolicy =
        json(
            """
            {"Version": "2012-10-17", "Statement": [{"Sid": "ReaderAccount", "Effect": "Allow",
              "Principal": {"AWS": "%s"}, "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::cairn-artifacts/*"}]}
            """
                .formatted(READER));

    IamDecision decision =
        one(
            new IamRequest(
                READER, "s3:GetObject", OBJECT, ACCOUNT, List.of(), null, bucketPolicy, Map.of()));

    assertThat(decision.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(decision.statement()).isEqualTo("no Allow in identity policy");
  }

  @Test
  void evaluate_assumeRole_whenTrustPolicyNamesCaller_allows() {
    IamDecision decision = one(assumeDeployRole(trustPolicyFor(DEPLOYER)));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.statement()).isEqualTo("TrustDeployer");
  }

  @Test
  void evaluate_assumeRole_whenTrustPolicyNamesAnotherRole_implicitlyDenies() {
    IamDecision decision =
        one(assumeDeployRole(trustPolicyFor("arn:aws:iam::" + ACCOUNT + ":role/someone-else")));

    assertThat(decision.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(decision.statement()).isEqualTo("no Allow in resource policy");
  }

  @Test
  void evaluate_assumeRole_withoutTrustPolicy_implicitlyDenies() {
    // iam-simulate alone would trust the caller's account here; iam-check requires the trust
    // policy.
    IamDecision decision = one(assumeDeployRole(null));

    assertThat(decision.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(decision.statement()).startsWith("no trust policy");
  }

  @Test
  void evaluate_whenConditionNeedsIfNoneMatch_allowsOnlyCreateOnlyWrites() {
    JsonNode createOnly =
        json(
            """
            {"Version": "2012-10-17", "Statement": [{"Sid": "CreateOnlyWrites", "Effect": "Allow",
              "Action": "s3:PutObject", "Resource": "arn:aws:s3:::cairn-artifacts/*",
              "Condition": {"StringEquals": {"s3:if-none-match": "*"}}}]}
            """);

    IamDecision withHeader = one(put(createOnly, Map.of("s3:if-none-match", "*")));
    IamDecision withoutHeader = one(put(createOnly, Map.of()));

    assertThat(withHeader.allowed()).isTrue();
    assertThat(withHeader.statement()).isEqualTo("CreateOnlyWrites");
    assertThat(withHeader.ignoredContextKeys()).isEmpty();
    assertThat(withoutHeader.decision()).isEqualTo("ImplicitlyDenied");
  }

  @Test
  void evaluate_whenSecureTransportDenied_defaultsToTlsAndDeniesPlainHttp() {
    JsonNode bucketPolicy =
        json(
            """
            {"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport",
              "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
              "Resource": ["arn:aws:s3:::cairn-artifacts", "arn:aws:s3:::cairn-artifacts/*"],
              "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            """);
    List<JsonNode> identity =
        List.of(policy(allow("ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*")));

    IamDecision tls =
        one(
            new IamRequest(
                DEPLOYER, "s3:GetObject", OBJECT, ACCOUNT, identity, null, bucketPolicy, Map.of()));
    IamDecision plain =
        one(
            new IamRequest(
                DEPLOYER,
                "s3:GetObject",
                OBJECT,
                ACCOUNT,
                identity,
                null,
                bucketPolicy,
                Map.of("aws:SecureTransport", "false")));

    assertThat(tls.allowed()).isTrue();
    assertThat(plain.decision()).isEqualTo("ExplicitlyDenied");
    assertThat(plain.statement()).isEqualTo("DenyInsecureTransport");
  }

  @Test
  void evaluate_currentTimeComesFromTheInjectedClock() {
    IamDecision deadlineNow = one(readUntil(NOW));
    IamDecision deadlineInOneSecond = one(readUntil(NOW.plusSeconds(1)));

    assertThat(deadlineNow.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(deadlineInOneSecond.allowed()).isTrue();
    assertThat(deadlineInOneSecond.statement()).isEqualTo("BeforeDeadline");
  }

  @Test
  void evaluate_whenContextKeyUnknownToIamSimulate_reportsItIgnored() {
    // iam-simulate drops keys it does not know for the action; a condition on one is evaluated as
    // if the key were absent. The decision says which keys were dropped, so a caller can refuse.
    IamDecision decision =
        one(
            put(
                policy(allow("Write", "s3:PutObject", "*")),
                Map.of("kms:EncryptionContext:aws:s3:arn", "arn:aws:s3:::cairn-artifacts")));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.ignoredContextKeys()).containsExactly("kms:EncryptionContext:aws:s3:arn");
  }

  @Test
  void evaluate_cloudFormationTemplateFetch_isCheckedAsTheCallerNotTheService() {
    // iam-simulate does not model CloudFormation reading TemplateURL. CloudFormation fetches the
    // template with the credentials of whoever called CreateChangeSet, so the sandbox records that
    // fetch as an s3:GetObject by the caller; the CloudFormation execution role is not asked.
    String template = "arn:aws:s3:::cairn-artifacts/svc/abc/cdk.out/Stack.template.json";
    JsonNode execRolePolicy = policy(allow("ExecReadsEverything", "s3:GetObject", "*"));
    JsonNode deployerPolicy = policy(allow("DeployerManifestsOnly", "s3:GetObject", OBJECT));

    IamDecision byCaller =
        one(
            IamRequest.identityOnly(
                DEPLOYER, "s3:GetObject", template, ACCOUNT, List.of(deployerPolicy)));
    IamDecision byExecRole =
        one(
            IamRequest.identityOnly(
                "arn:aws:iam::" + ACCOUNT + ":role/cairn-cfn-exec",
                "s3:GetObject",
                template,
                ACCOUNT,
                List.of(execRolePolicy)));

    assertThat(byCaller.decision()).isEqualTo("ImplicitlyDenied");
    assertThat(byExecRole.allowed()).isTrue(); // would hide the missing grant if it were asked
  }

  @Test
  void evaluate_whenPolicyIsInvalid_throwsNamingTheRequest() {
    JsonNode invalid =
        json("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Maybe\"}]}");

    assertThatThrownBy(
            () ->
                evaluator.evaluate(
                    List.of(
                        IamRequest.identityOnly(
                            DEPLOYER, "s3:GetObject", OBJECT, ACCOUNT, List.of(invalid)))))
        .isInstanceOf(IamEvaluationException.class)
        .hasMessageContaining("request 0 (s3:GetObject on " + OBJECT + ")");
  }

  @Test
  void evaluate_whenActionDoesNotExist_throws() {
    assertThatThrownBy(
            () ->
                evaluator.evaluate(
                    List.of(
                        IamRequest.identityOnly(
                            DEPLOYER, "s3:GetObjekt", OBJECT, ACCOUNT, List.of()))))
        .isInstanceOf(IamEvaluationException.class)
        .hasMessageContaining("invalid.action");
  }

  @Test
  void evaluate_batchOf200_answersEveryRequestInOrderFromOneProcess() {
    List<JsonNode> identity =
        List.of(policy(allow("ReadArtifacts", "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*")));
    List<IamRequest> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String action = i % 2 == 0 ? "s3:GetObject" : "s3:DeleteObject";
      batch.add(
          IamRequest.identityOnly(
              DEPLOYER, action, "arn:aws:s3:::cairn-artifacts/svc/" + i, ACCOUNT, identity));
    }

    List<IamDecision> decisions = evaluator.evaluate(batch);

    assertThat(decisions).hasSize(200);
    IntStream.range(0, 200)
        .forEach(
            i -> {
              assertThat(decisions.get(i).request()).isSameAs(batch.get(i));
              assertThat(decisions.get(i).allowed()).isEqualTo(i % 2 == 0);
            });
  }

  @Test
  void evaluate_whenBatchEmpty_startsNoProcess() {
    assertThat(evaluator.evaluate(List.of())).isEmpty();
  }

  @Test
  void locate_whenNoCheckoutAbove_findsNothing(@TempDir Path elsewhere) {
    assertThat(IamEvaluator.locate(elsewhere)).isEmpty();
  }

  @Test
  void newRequest_whenResourceIsAPattern_isRejected() {
    assertThatThrownBy(
            () ->
                IamRequest.identityOnly(
                    DEPLOYER, "s3:GetObject", "arn:aws:s3:::cairn-artifacts/*", ACCOUNT, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concrete ARN");
  }

  // --- fixtures

  private static IamDecision one(IamRequest request) {
    List<IamDecision> decisions = evaluator.evaluate(List.of(request));
    assertThat(decisions).hasSize(1);
    return decisions.get(0);
  }

  private static IamRequest assumeDeployRole(JsonNode trustPolicy) {
    return new IamRequest(
        DEPLOYER,
        "sts:AssumeRole",
        "arn:aws:iam::" + ACCOUNT + ":role/cairn-cfn-exec",
        ACCOUNT,
        List.of(policy(allow("AssumeExec", "sts:AssumeRole", "*"))),
        null,
        trustPolicy,
        Map.of());
  }

  private static JsonNode trustPolicyFor(String principal) {
    return json(
        """
        {"Version": "2012-10-17", "Statement": [{"Sid": "TrustDeployer", "Effect": "Allow",
          "Principal": {"AWS": "%s"}, "Action": "sts:AssumeRole"}]}
        """
            .formatted(principal));
  }

  private static IamRequest readUntil(Instant deadline) {
    JsonNode policy =
        json(
            """
            {"Version": "2012-10-17", "Statement": [{"Sid": "BeforeDeadline", "Effect": "Allow",
              "Action": "s3:GetObject", "Resource": "*",
              "Condition": {"DateLessThan": {"aws:CurrentTime": "%s"}}}]}
            """
                .formatted(deadline));
    return IamRequest.identityOnly(DEPLOYER, "s3:GetObject", OBJECT, ACCOUNT, List.of(policy));
  }

  private static IamRequest put(JsonNode identityPolicy, Map<String, String> context) {
    return new IamRequest(
        DEPLOYER, "s3:PutObject", OBJECT, ACCOUNT, List.of(identityPolicy), null, null, context);
  }

  private static JsonNode policy(String statement) {
    return json("{\"Version\": \"2012-10-17\", \"Statement\": [" + statement + "]}");
  }

  private static String allow(String sid, String action, String resource) {
    return statement("Allow", sid, action, resource);
  }

  private static String deny(String sid, String action, String resource) {
    return statement("Deny", sid, action, resource);
  }

  private static String statement(String effect, String sid, String action, String resource) {
    return """
        {"Sid": "%s", "Effect": "%s", "Action": "%s", "Resource": "%s"}"""
        .formatted(sid, effect, action, resource);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
