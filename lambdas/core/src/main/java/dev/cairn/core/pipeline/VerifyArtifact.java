package dev.cairn.core.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.context.port.BlessedContextStore;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.pipeline.port.AssetDestinations;
import dev.cairn.core.pipeline.port.PipelineMetrics;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.BlessedContextVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The manifest-verifier's use case: verify an artifact fail-closed, with every expected value taken
 * from outside the manifest (the ledger's {@code artifact_sha256}, the blessed context the manifest
 * names, read at its exact version and checked against the trust policy's context-blessing keys,
 * the configured trust policy), and store the report beside the artifact as evidence.
 */
public final class VerifyArtifact {

  private final ArtifactStore store;
  private final DeploymentLedger ledger;
  private final BlessedContextStore contexts;
  private final TrustPolicy trustPolicy;
  private final PipelineMetrics metrics;
  private final VerifierOptions options;
  private final EnvironmentChain chain;
  private final AssetDestinations destinations;
  private final Clock clock;

  public VerifyArtifact(
      ArtifactStore store,
      DeploymentLedger ledger,
      BlessedContextStore contexts,
      TrustPolicy trustPolicy,
      PipelineMetrics metrics,
      VerifierOptions options,
      EnvironmentChain chain,
      AssetDestinations destinations,
      Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.contexts = contexts;
    this.trustPolicy = trustPolicy;
    this.metrics = metrics;
    this.options = options;
    this.chain = chain;
    this.destinations = destinations;
    this.clock = clock;
  }

  /** The command: one artifact, for one environment. */
  public record Command(
      String service, String commitSha, String environment, String bucket, String manifestKey) {}

  /**
   * Verifies and returns {@code {artifact_sha256, report_key, asset_verification_passed, evidence}}
   * ({@link ArtifactEvidence}).
   *
   * @throws ArtifactRejected naming the gate and code, after the report is stored
   * @throws ArtifactNotRegistered when the ledger has no record (yet) of the artifact
   * @throws TransientError when S3 or DynamoDB could not be read
   */
  public ObjectNode verify(Command c, ProgressListener progress) {
    String expectedKey =
        ArtifactLayout.prefix(c.service(), c.commitSha()) + ArtifactLayout.MANIFEST_FILE;
    if (!expectedKey.equals(c.manifestKey())) {
      throw new ArtifactRejected(
          Gate.MANIFEST_STRUCTURE
              + ": MANIFEST_MISSING: manifest_key "
              + c.manifestKey()
              + " is not "
              + expectedKey);
    }
    ArtifactRecord record =
        ledger
            .find(new ArtifactKey(c.service(), c.commitSha()))
            .orElseThrow(
                () ->
                    new ArtifactNotRegistered(
                        Gate.ARTIFACT_DIGEST
                            + ": ARTIFACT_DIGEST_UNEXPECTED: the ledger has no record of "
                            + c.service()
                            + "@"
                            + c.commitSha()));
    try {
      ArtifactStore.StoredObject manifestObject =
          store
              .readManifestObject(
                  c.bucket(), c.service(), c.commitSha(), ManifestParser.MAX_MANIFEST_BYTES)
              .orElse(null);
      byte[] manifest = manifestObject == null ? null : manifestObject.bytes();
      ArtifactSource source = store.source(c.bucket(), c.service(), c.commitSha());
      VerificationReport report =
          new ArtifactVerifier(trustPolicy, options, clock)
              .verify(
                  manifest,
                  source,
                  new Expectations(
                      c.service(),
                      c.commitSha(),
                      record.artifactSha256(),
                      null,
                      new BlessedContextVerifier(contexts, trustPolicy.contextSigners(), clock)),
                  progress);
      ManifestParser.Result.Parsed parsed = null;
      if (report.accepted()) {
        // The artifact is sound; now the assets where CloudFormation will fetch them.
        parsed = (ManifestParser.Result.Parsed) ManifestParser.parse(manifest);
        report =
            report.rejectedAtDestinations(
                AssetDestinationCheck.check(
                    source, parsed.manifest(), chain.get(c.environment()), destinations));
      }
      byte[] reportBytes = Json.pretty(report.toJson()).getBytes(StandardCharsets.UTF_8);
      // Named by its content: the artifact buckets are write-once, and each execution's report is
      // its own object (a retry of the same attempt finds the identical one).
      String reportKey =
          store.putEvidence(
              c.bucket(),
              c.service(),
              c.commitSha(),
              "verification-report-"
                  + c.environment()
                  + "-"
                  + Sha256.hash(new java.io.ByteArrayInputStream(reportBytes))
                      .hex()
                      .substring(0, 16)
                  + ".json",
              reportBytes);
      if (!report.accepted()) {
        Failure first = report.firstFailure();
        if (first.gate() == Gate.ASSET_INTEGRITY) {
          metrics.assetHashMismatch(c.service(), c.environment());
        }
        throw new ArtifactRejected(first.gate() + ": " + first.code() + ": " + first.detail());
      }
      String artifactSha256 = (String) report.digests().get("artifact_sha256");
      ObjectNode out = Json.object();
      out.put("artifact_sha256", artifactSha256);
      out.put("report_key", reportKey);
      // The signed commit_time this execution verified (null in older manifests): where
      // DeployLatency starts.
      String commitTime =
          ((ManifestParser.Result.Parsed) ManifestParser.parse(manifest)).manifest().commitTime();
      if (commitTime == null) {
        out.putNull("commit_time");
      } else {
        out.put("commit_time", commitTime);
      }
      // Gate 8's own outcome, carried by the execution to the lease (asset_verification_passed):
      // PASSED only when the assets were checked at their destinations and matched.
      out.put(
          "asset_verification_passed",
          report.gates().stream()
              .anyMatch(
                  g ->
                      g.gate() == Gate.ASSET_INTEGRITY
                          && g.status()
                              == dev.cairn.core.verify.VerificationReport.GateStatus.PASSED));
      out.set(
          "evidence",
          evidence(c.bucket(), manifestObject, artifactSha256, source, parsed).toJson());
      return out;
    } catch (IOException e) {
      throw new TransientError("could not read the artifact or its context: " + e.getMessage(), e);
    }
  }

  /**
   * What this execution verified: the manifest's digest and version, the recomputed {@code
   * artifact_sha256}, and the version of every file hashed. In a versioned bucket each file of the
   * signed manifest must have been read at a known version, or there is nothing to pin.
   */
  private static ArtifactEvidence evidence(
      String bucket,
      ArtifactStore.StoredObject manifest,
      String artifactSha256,
      ArtifactSource source,
      ManifestParser.Result.Parsed parsed)
      throws IOException {
    String manifestSha256 = Sha256.hash(new java.io.ByteArrayInputStream(manifest.bytes())).hex();
    Map<String, String> versions = source.versionsRead();
    if (manifest.versionId() == null) {
      return new ArtifactEvidence(bucket, manifestSha256, artifactSha256, null, Map.of());
    }
    Set<String> files = parsed.manifest().fileHashes().keySet();
    if (!versions.keySet().containsAll(files)) {
      throw new TransientError(
          "the bucket is versioned but the versions of "
              + files.stream().filter(f -> !versions.containsKey(f)).limit(5).toList()
              + " were not reported; nothing to pin, verify again");
    }
    Map<String, String> pinned = new java.util.TreeMap<>();
    files.forEach(f -> pinned.put(f, versions.get(f)));
    return new ArtifactEvidence(
        bucket, manifestSha256, artifactSha256, manifest.versionId(), pinned);
  }
}
