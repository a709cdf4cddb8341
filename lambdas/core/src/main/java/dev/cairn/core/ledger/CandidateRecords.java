package dev.cairn.core.ledger;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record {@code cairn publish} writes (spec "Build Process"): status {@code candidate}; the
 * first environment {@code pending}, every later one {@code not_deployed}; every {@code
 * test_status} {@code not_tested}; {@code expire_at} = {@code build_time} + 90 days. {@code
 * integrity_verified} is absent until the control plane's verifier has run.
 */
public final class CandidateRecords {

  /** The spec's default TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(90);

  /** An environment name and its region, in promotion order. */
  public record Environment(String name, String region) {}

  private CandidateRecords() {}

  /** The candidate record for a verified manifest. */
  public static ArtifactRecord candidate(
      ArtifactKey key,
      String artifactSha256,
      String artifactUrl,
      Instant buildTime,
      String cdkCliVersion,
      String cdkContextHash,
      Map<String, String> cdkLibraryVersions,
      boolean commitSignatureVerified,
      String previousCommitSha,
      String targetRegion,
      List<Environment> environments) {
    if (environments.isEmpty()) {
      throw new IllegalArgumentException("at least one environment is required");
    }
    ArtifactRecord.Builder b =
        ArtifactRecord.builder()
            .service(key.service())
            .commitSha(key.commitSha())
            .version(0)
            .status(ArtifactStatus.CANDIDATE)
            .artifactSha256(artifactSha256)
            .artifactUrl(artifactUrl)
            .artifactType(ArtifactRecord.ARTIFACT_TYPE_CDK)
            .gitCommit(key.commitSha())
            .previousCommitSha(previousCommitSha)
            .commitSignatureVerified(commitSignatureVerified)
            .buildTime(buildTime)
            .cdkCliVersion(cdkCliVersion)
            .cdkContextHash(cdkContextHash)
            .cdkLibraryVersions(cdkLibraryVersions)
            .targetRegion(targetRegion)
            // integrity_verified and asset_verification_passed stay unset: only the control
            // plane's verifier decides them (true at the lease after it accepted, false in
            // record_failure when it rejected).
            .expireAt(buildTime.plus(DEFAULT_TTL).getEpochSecond());
    boolean first = true;
    for (Environment e : environments) {
      b.environment(
          e.name(),
          EnvironmentState.initial(
              first ? EnvironmentStatus.PENDING : EnvironmentStatus.NOT_DEPLOYED, e.region()));
      first = false;
    }
    return b.build();
  }
}
