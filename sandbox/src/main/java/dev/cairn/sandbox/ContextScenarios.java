package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.context.ContextBlesser;
import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.local.emulators.CodeBuildEmulator.BuildOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The context an artifact was built with is the one that is checked: the manifest names its bless
 * (object key and S3 version), and every environment's verification reads exactly that version. A
 * later bless changes nothing for artifacts in flight; a bless that never happened, or was revoked,
 * is refused.
 */
final class ContextScenarios {

  /** What the context generator blesses mid-run: the lookups now answer differently. */
  static final byte[] NEXT_CONTEXT =
      ("{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\",\"us-east-1c\"],"
              + "\"availability-zones:account=222222222222:region=us-east-1\":[\"us-east-1a\",\"us-east-1b\",\"us-east-1c\"]}\n")
          .getBytes(StandardCharsets.UTF_8);

  private ContextScenarios() {}

  /** Re-blessed for stage and prod while the artifact's stage tests run; it still reaches prod. */
  static void contextReblessMidFlight(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    ContextBlessReference builtWith = bless(w, COMMIT_A);
    c.note("the artifact was built with " + builtWith);
    AtomicReference<String> reblessed = new AtomicReference<>();
    w.codeBuild.runner(
        (project, env) -> {
          if (project.equals("hello-stage-tests") && reblessed.get() == null) {
            // The context pipeline runs on its own schedule: a new bless for every environment
            // lands while this artifact is between stage and prod.
            w.clock.advance(Duration.ofSeconds(1));
            ContextBlesser.Blessed stage = w.bless("stage", NEXT_CONTEXT);
            ContextBlesser.Blessed prod = w.bless("prod", NEXT_CONTEXT);
            reblessed.set(stage.reference() + ", " + prod.reference());
          }
          return BuildOutcome.SUCCEEDED;
        });
    c.candidateUploaded(COMMIT_A);
    if (reblessed.get() == null) {
      throw new IllegalStateException("the stage tests never ran: nothing was re-blessed");
    }
    c.note("re-blessed mid-run: " + reblessed.get());
    String latest =
        new String(
            w.s3
                .getObjectAsBytes(
                    r -> r.bucket(SandboxWorld.CONTEXTS).key(ContextLayout.latestBlessKey("prod")))
                .asByteArray(),
            StandardCharsets.UTF_8);
    if (latest.contains(builtWith.versionId()) && latest.contains(builtWith.objectKey())) {
      throw new IllegalStateException("prod's latest bless did not move: " + latest);
    }
    ArtifactRecord r = w.ledger.find(new ArtifactKey(w.service, COMMIT_A)).orElseThrow();
    String prod = r.environment("prod").status().toString();
    if (!"deployed".equals(prod)) {
      throw new IllegalStateException(
          "the artifact built with " + builtWith + " did not deploy to prod: " + prod);
    }
    c.note("prod deployed the artifact built with " + builtWith + " after the re-bless");
  }

  /**
   * CI builds with a context of its own (a lookup it answered itself) and names a bless that never
   * happened: it cannot write one (IAM), and the verifier finds no such version.
   */
  static void contextNeverBlessed(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    Attack a =
        c.attack("CI synthesizes with its own context and names a bless that never happened");
    String forgedKey = "stage/20261206T093000Z.context.json";
    byte[] own =
        "{\"availability-zones:account=222222222222:region=us-east-1\":[\"us-east-1x\"]}\n"
            .getBytes(StandardCharsets.UTF_8);
    a.ci()
        .denied(
            () ->
                a.ci()
                    .s3()
                    .putObject(
                        r -> r.bucket(SandboxWorld.CONTEXTS).key(forgedKey),
                        RequestBody.fromBytes(own)));
    c.note("the contexts bucket refused CI's write of " + forgedKey);
    w.publish(
        c.example(),
        COMMIT_A,
        d -> {},
        new SandboxWorld.FetchedContext(
            own, new ContextBlessReference(forgedKey, "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")));
    c.candidateUploaded(COMMIT_A);
    a.refused(
        FailureCode.CONTEXT_NOT_BLESSED.name(),
        "the manifest verifier's gate 6, which reads the bless the signed manifest names at its"
            + " exact version: there is none, and only the context generator may write one");
  }

  /**
   * A bless is revoked (a lookup answered from a poisoned account) while an artifact built with it
   * is between stage and prod: prod refuses it.
   */
  static void contextBlessRevoked(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    ContextBlessReference builtWith = bless(w, COMMIT_A);
    Attack a =
        c.attack(
            "the context "
                + builtWith.objectKey()
                + " turns out to hold a poisoned lookup; it is revoked while the artifact built"
                + " with it is in stage tests");
    AtomicReference<ContextBlesser.Revoked> revoked = new AtomicReference<>();
    w.codeBuild.runner(
        (project, env) -> {
          if (project.equals("hello-stage-tests") && revoked.get() == null) {
            revoked.set(w.revoke(builtWith, "VPC lookup answered from a poisoned account"));
          }
          return BuildOutcome.SUCCEEDED;
        });
    c.candidateUploaded(COMMIT_A);
    if (revoked.get() == null) {
      throw new IllegalStateException("the stage tests never ran: nothing was revoked");
    }
    c.note("the context generator revoked " + revoked.get().revocationKey());
    a.refused(
        FailureCode.CONTEXT_BLESS_REVOKED.name(),
        "prod's verification (gate 6), which finds the context generator's signed revocation"
            + " beside the bless the manifest names");
  }

  /** The bless {@code commit}'s signed manifest names. */
  private static ContextBlessReference bless(SandboxWorld w, String commit) throws Exception {
    byte[] manifest =
        w.s3
            .getObjectAsBytes(
                r -> r.bucket(SandboxWorld.CANDIDATE).key(ScenarioContext.manifestKey(w, commit)))
            .asByteArray();
    return ContextBlessReference.fromJson(
            dev.cairn.core.json.Json.parse(manifest).path("cdk_context_bless"))
        .orElseThrow(() -> new IllegalStateException("the manifest names no bless"));
  }
}
