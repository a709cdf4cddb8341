package dev.cairn.cli.override;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.ApprovalBinding;
import dev.cairn.core.override.OperatorTrust;
import dev.cairn.core.override.OverrideAction;
import dev.cairn.core.override.OverrideRefusedException;
import dev.cairn.core.override.OverrideRequests;
import dev.cairn.core.override.OverrideVerifier;
import dev.cairn.core.override.VerifiedOverride;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverrideCreateCommandTest {

  static final String COMMIT = "4f2a9c1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c";
  static final String INSTALLATION = "111111111111:us-east-1";

  @TempDir Path dir;

  @Test
  void create_withPemKey_writesRequestTheVerifierAccepts() throws Exception {
    KeyPair op = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    Path key = dir.resolve("alice.key.pem");
    Files.writeString(key, PemKeys.toPem(op.getPrivate()));
    Path out = dir.resolve("rollback.json");

    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--installation-id",
            INSTALLATION,
            "--action",
            "rollback",
            "--environment",
            "prod",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "INC-42",
            "--requester",
            "alice@laptop",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-alice",
            "--key",
            key.toString(),
            "--out",
            out.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    OperatorTrust trust =
        OperatorTrust.parse(
            Json.compact(
                    OperatorTrust.toJson(
                        List.of(
                            new TrustPolicy.SignerSpec(
                                "ops-alice",
                                SignatureAlgorithm.ECDSA_SHA_256,
                                PemKeys.toPem(op.getPublic())))))
                .getBytes(StandardCharsets.UTF_8),
            TrustPolicy.of(
                List.of(
                    new TrustPolicy.SignerSpec(
                        "kms:alias/cdk-ci-artifact-signer",
                        SignatureAlgorithm.ECDSA_SHA_256,
                        PemKeys.toPem(
                            PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256).getPublic()))),
                List.of("2.0.0"),
                List.of("refs/heads/main")));
    VerifiedOverride v =
        new OverrideVerifier(trust, INSTALLATION, Clock.systemUTC())
            .verify(Files.readAllBytes(out));
    assertThat(v.request().action()).isEqualTo(OverrideAction.ROLLBACK);
    assertThat(v.request().reason()).isEqualTo("INC-42");
    assertThat(v.request().installationId()).isEqualTo(INSTALLATION);
    // Another installation that trusts the same operator key refuses it.
    try {
      new OverrideVerifier(trust, "222222222222:eu-west-1", Clock.systemUTC())
          .verify(Files.readAllBytes(out));
      throw new AssertionError("expected OVERRIDE_WRONG_INSTALLATION");
    } catch (OverrideRefusedException e) {
      assertThat(e.failure()).isEqualTo(OverrideFailure.OVERRIDE_WRONG_INSTALLATION);
    }
    assertThat(v.request().expiresAt()).isBefore(Instant.now().plusSeconds(15 * 60 + 1));

    // The same file later is refused as expired.
    OverrideVerifier later =
        new OverrideVerifier(
            trust, INSTALLATION, Clock.fixed(Instant.now().plusSeconds(16 * 60), ZoneOffset.UTC));
    try {
      later.verify(Files.readAllBytes(out));
      throw new AssertionError("expected OVERRIDE_EXPIRED");
    } catch (OverrideRefusedException e) {
      assertThat(e.failure()).isEqualTo(OverrideFailure.OVERRIDE_EXPIRED);
    }
  }

  @Test
  void create_withoutEnvironmentForRollback_isUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--installation-id",
            INSTALLATION,
            "--action",
            "rollback",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "x",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-alice",
            "--key",
            "nope.pem",
            "--out",
            dir.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("needs --environment");
  }

  @Test
  void create_withLifetimeOverFifteenMinutes_isUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--installation-id",
            INSTALLATION,
            "--action",
            "approve",
            "--environment",
            "prod",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "x",
            "--lifetime",
            "PT16M",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-alice",
            "--key",
            "nope.pem",
            "--out",
            dir.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("PT15M");
  }

  @Test
  void create_approve_bindsTheDigestTheInstallationAndAnExpiry() throws Exception {
    KeyPair op = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    Path key = dir.resolve("bob.key.pem");
    Files.writeString(key, PemKeys.toPem(op.getPrivate()));
    Path out = dir.resolve("approve.json");

    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--action",
            "approve",
            "--environment",
            "prod",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "reviewed the change set",
            "--artifact-sha256",
            "a".repeat(64),
            "--installation-id",
            "000000000000:us-east-1",
            "--approval-valid-for",
            "PT12H",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-bob",
            "--key",
            key.toString(),
            "--out",
            out.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    OverrideRequests.Parsed parsed = OverrideRequests.parse(Files.readAllBytes(out));
    ApprovalBinding binding = parsed.approval();
    assertThat(binding.artifactSha256()).isEqualTo("a".repeat(64));
    assertThat(binding.installationId()).isEqualTo("000000000000:us-east-1");
    assertThat(binding.expiresAt())
        .isEqualTo(parsed.request().requestedAt().plusSeconds(12 * 3600));
  }

  @Test
  void create_approveWithoutDigest_isUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--action",
            "approve",
            "--environment",
            "prod",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "x",
            "--installation-id",
            "000000000000:us-east-1",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-alice",
            "--key",
            "nope.pem",
            "--out",
            dir.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--artifact-sha256");
  }

  @Test
  void create_approveValidForMoreThanSevenDays_isUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "override",
            "create",
            "--action",
            "approve",
            "--environment",
            "prod",
            "--service",
            "hello-service",
            "--commit",
            COMMIT,
            "--reason",
            "x",
            "--artifact-sha256",
            "a".repeat(64),
            "--installation-id",
            "000000000000:us-east-1",
            "--approval-valid-for",
            "P8D",
            "--sign-with",
            "pem",
            "--signing-identity",
            "ops-alice",
            "--key",
            "nope.pem",
            "--out",
            dir.resolve("x.json").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("P7D");
  }

  @Test
  void helpOfEachOverrideCommand_hasExamples() {
    for (String sub : List.of("create", "submit")) {
      CliRunner.Result r = CliRunner.run("override", sub, "--help");
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("Examples:").contains("Exit codes:");
    }
  }
}
