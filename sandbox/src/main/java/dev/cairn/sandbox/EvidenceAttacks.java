package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Attacks on the evidence a deployment rests on: the artifact bytes an execution verified, and the
 * buckets that hold them. The attacker is CI's role, through {@link Attack#ci()}: every call is
 * decided by IAM against the synthesized policies before it reaches a service.
 */
final class EvidenceAttacks {

  private EvidenceAttacks() {}

  /** A template CI would like prod to run instead of the tested one. */
  static final String BACKDOOR =
      "{\"Resources\":{\"Backdoor\":{\"Type\":\"AWS::IAM::User\",\"Properties\":{}}}}";

  /**
   * While the stage tests run, CI overwrites the candidate's prod template and its manifest (re-
   * signed with CI's own key), plants a stack policy under the artifact's prefix, and rewrites the
   * record's {@code artifact_sha256}. The bucket policy refuses every overwrite; the new key is
   * written, but promote copies only the versions VerifyManifest pinned and checks them against the
   * execution's own digests, so the release (and prod) get exactly the tested bytes.
   */
  static void ciSwapsArtifactDuringTests(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    String commit = SandboxRun.COMMIT_A;
    String prefix = ArtifactLayout.prefix(w.service, commit);
    c.publish(commit);
    byte[] testedTemplate = Files.readAllBytes(c.example().resolve("hello-prod-api.template.json"));
    boolean[] attacked = {false};
    w.interrupter =
        e -> {
          if (!attacked[0]
              && e.type().endsWith("StateEntered")
              && e.stateName().equals("RunTests")) {
            attacked[0] = true;
            try {
              swapDuringTests(c, commit, prefix);
            } catch (Exception ex) {
              throw new IllegalStateException("the attack script failed: " + ex, ex);
            }
          }
        };
    c.candidateUploaded(commit);
    w.interrupter = e -> {};
    if (!attacked[0]) {
      throw new IllegalStateException("the stage tests never ran: nothing was attacked");
    }

    // What the attack could not do: the release copy is the tested artifact, byte for byte.
    byte[] released =
        w.s3
            .getObjectAsBytes(
                r -> r.bucket(SandboxWorld.RELEASE).key(prefix + "hello-prod-api.template.json"))
            .asByteArray();
    if (!java.util.Arrays.equals(released, testedTemplate)) {
      throw new IllegalStateException("the release bucket holds a template the stage did not test");
    }
    try {
      w.s3.headObject(r -> r.bucket(SandboxWorld.RELEASE).key(prefix + "cairn-stack-policy.json"));
      throw new IllegalStateException("the planted stack policy reached the release bucket");
    } catch (NoSuchKeyException e) {
      c.note("the release holds exactly the versions the stage verified, deployed and tested");
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      c.note("the release holds exactly the versions the stage verified, deployed and tested");
    }
  }

  private static void swapDuringTests(ScenarioContext c, String commit, String prefix)
      throws Exception {
    SandboxWorld w = c.world();
    Attack a =
        c.attack(
            "while the stage tests run, CI overwrites the candidate's prod template and manifest"
                + " (re-signed with its own key), plants a stack policy under the artifact and"
                + " rewrites the record's artifact_sha256");
    String templateKey = prefix + "hello-prod-api.template.json";
    String manifestKey = prefix + ArtifactLayout.MANIFEST_FILE;

    a.ci()
        .denied(
            () ->
                a.ci()
                    .s3()
                    .putObject(
                        r -> r.bucket(SandboxWorld.CANDIDATE).key(templateKey),
                        RequestBody.fromString(BACKDOOR)));
    c.note("the candidate bucket's policy refuses the overwrite of " + templateKey);
    try {
      a.ci()
          .s3()
          .putObject(
              r -> r.bucket(SandboxWorld.CANDIDATE).key(templateKey).ifNoneMatch("*"),
              RequestBody.fromString(BACKDOOR));
      throw new IllegalStateException("S3 accepted a conditional write over an existing key");
    } catch (S3Exception e) {
      if (e.statusCode() != 412) {
        throw e;
      }
      c.note("with If-None-Match, S3 answers 412: the key exists");
    }

    // CI holds the signing key, so it can sign a manifest for the swapped bytes.
    ObjectNode manifest =
        (ObjectNode)
            Json.parse(
                w.s3
                    .getObjectAsBytes(r -> r.bucket(SandboxWorld.CANDIDATE).key(manifestKey))
                    .asByteArray());
    manifest.remove("signature");
    manifest.remove("signing_identity");
    Map<String, String> hashes = new TreeMap<>();
    manifest
        .path("file_hashes")
        .fields()
        .forEachRemaining(f -> hashes.put(f.getKey(), f.getValue().asText()));
    hashes.put(
        "hello-prod-api.template.json", Sha256.hex(BACKDOOR.getBytes(StandardCharsets.UTF_8)));
    ObjectNode fileHashes = manifest.putObject("file_hashes");
    hashes.forEach(fileHashes::put);
    String forgedDigest = DirectoryHash.compute(hashes);
    manifest.put("artifact_sha256", forgedDigest);
    byte[] forged =
        Json.pretty(ManifestFactory.sign(manifest, a.ci().signer()))
            .getBytes(StandardCharsets.UTF_8);
    a.ci()
        .denied(
            () ->
                a.ci()
                    .s3()
                    .putObject(
                        r -> r.bucket(SandboxWorld.CANDIDATE).key(manifestKey),
                        RequestBody.fromBytes(forged)));
    c.note("the re-signed manifest cannot replace the verified one either");

    // A new key is a write CI may make: it lands, but no execution verified it.
    a.ci()
        .s3()
        .putObject(
            r ->
                r.bucket(SandboxWorld.CANDIDATE)
                    .key(prefix + "cairn-stack-policy.json")
                    .ifNoneMatch("*"),
            RequestBody.fromString(
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Update:*\","
                    + "\"Principal\":\"*\",\"Resource\":\"*\"}]}"));
    c.note("CI plants cairn-stack-policy.json under the artifact's prefix (a new key: allowed)");

    try {
      a.ci()
          .dynamoDb()
          .updateItem(
              r ->
                  r.tableName(SandboxWorld.METADATA_TABLE)
                      .key(
                          Map.of(
                              "service", AttributeValue.fromS(c.world().service),
                              "commit_sha", AttributeValue.fromS(commit)))
                      .updateExpression("SET artifact_sha256 = :d")
                      .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(forgedDigest))));
      c.note(
          "CI rewrote the record's artifact_sha256: promote ignores it (it compares with the"
              + " execution's own digest); prod's VerifyManifest would refuse the release for it");
    } catch (AwsServiceException e) {
      if (e.statusCode() != 403) {
        throw e;
      }
      c.note("IAM refuses CI's write of the record's artifact_sha256");
    }
    a.refusedByIam(
        "the candidate bucket's policy (DenyWritesThatCouldOverwrite) refuses a PutObject without"
            + " If-None-Match; promote writes only the S3 versions VerifyManifest pinned and checks"
            + " them against the execution's own digests, never the ledger's");
  }

  /**
   * CI publishes assets with {@code cdk-assets}, through each target's bootstrap publishing role,
   * which may write the bootstrap bucket. Once prod's {@code VerifyManifest} has hashed the
   * published templates (gate 8), that role overwrites prod's API template with a backdoor. The
   * deploy reads the object again as the deploy role, hashes it against the template of the
   * artifact it deploys, and refuses ({@code TEMPLATE_DESTINATION_MISMATCH}); had the bytes
   * matched, CloudFormation would have been given that object version ({@code ?versionId=}), so a
   * write after the check could not change what is deployed either.
   */
  static void ciSwapsTemplateAtDestination(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    String commit = SandboxRun.COMMIT_A;
    c.publish(commit);
    dev.cairn.core.pipeline.EnvironmentPolicy prod = w.chain.get("prod");
    dev.cairn.core.assembly.TemplateObject target =
        dev.cairn.core.assembly.CloudAssembly.read(
                new dev.cairn.core.integrity.LocalDirectoryArtifactSource(c.example()))
            .planFor(prod.account(), prod.region())
            .stream()
            .filter(s -> s.stackName().equals("hello-prod-api"))
            .findFirst()
            .orElseThrow()
            .templateObject();
    Attack[] attack = {null};
    int[] verified = {0};
    w.interrupter =
        e -> {
          if (attack[0] == null
              && e.type().endsWith("StateExited")
              && e.stateName().equals("VerifyManifest")
              && ++verified[0] == 2) {
            attack[0] =
                c.attack(
                    "after prod's VerifyManifest, the bootstrap publishing role overwrites "
                        + target.s3Url()
                        + " with a template that adds an IAM user");
            // The target's cdk-assets publishing role (CDK bootstrap's file-publishing role, which
            // CI assumes) may write its bootstrap bucket; the sandbox does not model that role's
            // policy, so the write is made directly, as that role could.
            w.s3.putObject(
                r -> r.bucket(target.bucket()).key(target.key()), RequestBody.fromString(BACKDOOR));
            c.note("prod's bootstrap bucket now holds other bytes under " + target.key());
          }
        };
    try {
      c.candidateUploaded(commit);
    } finally {
      w.interrupter = e -> {};
    }
    if (attack[0] == null) {
      throw new IllegalStateException("prod's VerifyManifest never ran: nothing was attacked");
    }
    attack[0].refused(
        "TEMPLATE_DESTINATION_MISMATCH",
        "the deploy re-reads each template from the target's bootstrap bucket as the deploy role,"
            + " hashes it against the verified artifact's template and pins CloudFormation's"
            + " TemplateURL to the version it checked");
  }

  /**
   * CI (holding the signing key) publishes a release whose templates create a role with {@code
   * AdministratorAccess}, trusted by an account outside the organisation and without the workload
   * boundary. The artifact verifies; CloudFormation's resource handler, acting as the stage
   * execution role, is refused {@code iam:CreateRole} by that role's boundary, the change set
   * fails, the stack rolls back, and the release never reaches prod.
   */
  static void templateCreatesAdminRole(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    String commit = SandboxRun.COMMIT_A;
    Attack a =
        c.attack(
            "CI publishes a signed release whose templates create an AdministratorAccess role"
                + " trusted by account 999999999999, without the workload boundary");
    dev.cairn.sandbox.iam.IamCheck iam =
        new dev.cairn.sandbox.iam.IamCheck(
            new dev.cairn.sandbox.iam.IamPolicies(w.assembly),
            dev.cairn.sandbox.iam.IamCheckInstall.locate(
                    w.repoRoot,
                    w.clock,
                    dev.cairn.sandbox.iam.IamEvaluator.DEFAULT_TIMEOUT,
                    w.notes)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "this attack needs the IAM evaluator (node, sandbox/iam-check)")));
    w.resourceHandlerIam =
        call ->
            iam.check(java.util.List.of(call), java.util.List.of()).denied().stream().findFirst();
    try {
      c.publish(
          commit,
          dir -> {
            addAdminRole(dir.resolve("hello-stage-api.template.json"), "hello-stage-api-admin");
            addAdminRole(dir.resolve("hello-prod-api.template.json"), "hello-prod-api-admin");
          });
      c.candidateUploaded(commit);
    } finally {
      w.resourceHandlerIam = SandboxWorld.ResourceHandlerIam.AFTER_THE_RUN;
    }
    var record =
        w.ledger.find(new dev.cairn.core.lifecycle.ArtifactKey(w.service, commit)).orElseThrow();
    if (!record.environment("stage").status().name().equalsIgnoreCase("failed")) {
      throw new IllegalStateException(
          "the stage deploy was to fail, but stage is " + record.environment("stage").status());
    }
    c.note("stage deploy failed: the admin role was never created; the release never reached prod");
    a.refused(
        "AccessDenied",
        "the stage CloudFormation execution role's boundary (DenyRolesWithoutTheWorkloadBoundary)"
            + " refuses iam:CreateRole without the workload boundary: the change set failed and"
            + " the stack rolled back");
  }

  /** Adds a role with AdministratorAccess, trusted by an outside account, to a template. */
  private static void addAdminRole(java.nio.file.Path template, String roleName) {
    try {
      ObjectNode t = (ObjectNode) Json.parse(Files.readAllBytes(template));
      ObjectNode role = ((ObjectNode) t.path("Resources")).putObject("Escalate");
      role.put("Type", "AWS::IAM::Role");
      ObjectNode p = role.putObject("Properties");
      p.put("RoleName", roleName);
      ObjectNode trust = p.putObject("AssumeRolePolicyDocument");
      trust.put("Version", "2012-10-17");
      ObjectNode st = trust.putArray("Statement").addObject();
      st.put("Effect", "Allow");
      st.putObject("Principal").put("AWS", "arn:aws:iam::999999999999:root");
      st.put("Action", "sts:AssumeRole");
      p.putArray("ManagedPolicyArns").add("arn:aws:iam::aws:policy/AdministratorAccess");
      Files.writeString(template, Json.pretty(t));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
