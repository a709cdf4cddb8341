package dev.cairn.aws.ledger;

import dev.cairn.core.audit.Actor;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

final class LedgerFixtures {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
  static final Actor CI = new Actor(ActorRole.CI, "cairn-publish@ci");

  private LedgerFixtures() {}

  static Actor actor(ActorRole role) {
    return new Actor(role, role.value() + "-test");
  }

  static ArtifactRecord candidate(String service, String commit) {
    return CandidateRecords.candidate(
        new ArtifactKey(service, commit),
        "b".repeat(64),
        "s3://cdk-artifacts-candidate/" + service + "/" + commit + "/",
        Instant.parse("2026-11-22T09:00:00Z"),
        "2.1148.1",
        "c".repeat(64),
        java.util.Map.of("aws-cdk-lib", "2.263.0"),
        true,
        null,
        "us-east-1",
        List.of(
            new CandidateRecords.Environment("stage", "us-east-1"),
            new CandidateRecords.Environment("prod", "us-east-1")));
  }
}
