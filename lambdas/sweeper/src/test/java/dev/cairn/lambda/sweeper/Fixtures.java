package dev.cairn.lambda.sweeper;

import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Shared test data: a virtual clock, candidates, the stage → prod chain. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");

  private Fixtures() {}

  static final class MovingClock extends Clock {
    Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static String commit() {
    return UUID.randomUUID().toString().replace("-", "") + "00000000";
  }

  static ArtifactRecord candidate(String service, String commit, Instant buildTime) {
    return CandidateRecords.candidate(
        new ArtifactKey(service, commit),
        "b".repeat(64),
        "s3://cdk-artifacts-candidate/" + service + "/" + commit + "/",
        buildTime,
        "2.1148.1",
        "c".repeat(64),
        null,
        true,
        null,
        "us-east-1",
        List.of(
            new CandidateRecords.Environment("stage", "us-east-1"),
            new CandidateRecords.Environment("prod", "us-east-1")));
  }

  static EnvironmentChain chain() {
    return new EnvironmentChain(
        List.of(env("stage", "111111111111", 0), env("prod", "222222222222", 600)));
  }

  static EnvironmentPolicy env(String name, String account, long bake) {
    return new EnvironmentPolicy(
        name,
        account,
        "us-east-1",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-deploy",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-cfn-exec",
        "arn:aws:iam::" + account + ":role/cairn-" + name + "-readonly",
        false,
        name + "-tests",
        bake,
        List.of(),
        0,
        null);
  }
}
