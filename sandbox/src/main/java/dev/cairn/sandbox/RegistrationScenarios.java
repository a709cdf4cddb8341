package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;

import dev.cairn.asl.HistoryEvent;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.pipeline.ArtifactNotRegistered;
import java.util.Iterator;

/**
 * S3's {@code Object Created} event and CI's {@code cairn publish} registration race: in AWS the
 * event can start the pipeline before the registrar has recorded the artifact. The pipeline waits
 * for the record (VerifyManifest's {@code ArtifactNotRegistered} retrier), and refuses an upload
 * nobody ever registers.
 */
final class RegistrationScenarios {

  private RegistrationScenarios() {}

  /** The event wins the race; the record lands while VerifyManifest waits; the artifact deploys. */
  static void registrarLate(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    ArtifactKey key = w.uploadUnregistered(c.example(), COMMIT_A, d -> {}, w.fetchContext());
    c.note("CI uploaded " + key + "; S3's event reaches the pipeline before CI asks the registrar");
    int[] waits = {0};
    w.interrupter =
        e -> {
          if (notRegisteredYet(e) && waits[0]++ == 1) {
            // CI's `cairn publish` gets to the registrar during the second wait.
            try {
              w.registerPublished(key);
            } catch (java.io.IOException ex) {
              throw new java.io.UncheckedIOException(ex);
            }
            c.note("the registrar recorded " + key + " while VerifyManifest waited");
          }
        };
    try {
      c.candidateUploaded(COMMIT_A);
    } finally {
      w.interrupter = e -> {};
    }
    if (waits[0] < 2) {
      throw new IllegalStateException(
          "VerifyManifest did not wait for the record (" + waits[0] + " wait(s))");
    }
    ArtifactRecord r = w.ledger.find(key).orElseThrow();
    if (r.environment("prod").status() != EnvironmentStatus.DEPLOYED) {
      throw new IllegalStateException(
          "the late-registered artifact did not reach prod: " + r.environment("prod").status());
    }
    c.note("stage waited " + waits[0] + " time(s) for the record, then verified and deployed");
  }

  /**
   * CI uploads an artifact and never registers it (a compromised runner trying to deploy bytes the
   * registrar never vouched for): the pipeline waits out its retrier and refuses it with an audit
   * entry, though there is no record to move.
   */
  static void unregisteredUpload(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    Attack a = c.attack("CI uploads a signed artifact and never asks the registrar to record it");
    ArtifactKey key = w.uploadUnregistered(c.example(), COMMIT_A, d -> {}, w.fetchContext());
    int[] waits = {0};
    w.interrupter =
        e -> {
          if (notRegisteredYet(e)) {
            waits[0]++;
          }
        };
    try {
      c.candidateUploaded(COMMIT_A);
    } finally {
      w.interrupter = e -> {};
    }
    if (w.ledger.find(key).isPresent()) {
      throw new IllegalStateException(key + " was recorded by someone: " + w.ledger.find(key));
    }
    if (!auditNames(w, key, "InvalidArtifact")) {
      throw new IllegalStateException("no InvalidArtifact audit entry names " + key);
    }
    c.note("VerifyManifest waited " + waits[0] + " time(s) for a record that never came");
    a.refused(
        "ARTIFACT_DIGEST_UNEXPECTED",
        "VerifyManifest takes the expected artifact_sha256 from the ledger, which only the"
            + " registrar writes; with no record after its retrier, the upload is refused and the"
            + " refusal is on the audit chain");
  }

  private static boolean notRegisteredYet(HistoryEvent e) {
    return e.type().equals("TaskFailed")
        && e.details().path("error").asText().equals(ArtifactNotRegistered.class.getName());
  }

  private static boolean auditNames(SandboxWorld w, ArtifactKey key, String action) {
    for (Iterator<com.fasterxml.jackson.databind.node.ObjectNode> it = w.auditLog.entries();
        it.hasNext(); ) {
      var entry = it.next();
      if (entry.path("action").asText().equals(action)
          && entry.toString().contains(key.commitSha())) {
        return true;
      }
    }
    return false;
  }
}
