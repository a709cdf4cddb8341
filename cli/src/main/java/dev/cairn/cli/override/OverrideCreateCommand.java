package dev.cairn.cli.override;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.json.Json;
import dev.cairn.core.override.OverrideAction;
import dev.cairn.core.override.OverrideRequests;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSigner;
import dev.cairn.core.signature.port.ManifestSigner;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn override create}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Write a signed override request (schema/override-request.v1.json).",
      "It holds the action, its target, a justification, a fresh single-use nonce and an expiry at most 15 minutes away, signed like",
      "a manifest (RFC 8785 canonical form) with an OPERATOR key. CI's artifact key is refused by",
      "the override Lambda. The request names the one installation it is for (--installation-id,",
      "the installation_id of /cairn/control-plane-config); any other installation refuses it.",
      "Actions: promote, rollback, requeue, approve, break_glass.",
      "An approval also names the artifact digest it approves and until when it counts",
      "(--approval-valid-for, at most P7D); the lease ignores it for any other digest,",
      "environment or installation, and once it has expired."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:request written",
      "2:usage or I/O error: an invalid action, target or lifetime, an unreadable key, KMS refused"
          + " to sign"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn override create --action rollback --environment prod \\",
      "      --installation-id 111111111111:us-east-1 \\",
      "      --service hello-service --commit 4f2a9c1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c \\",
      "      --reason \"INC-42: 5xx after 4f2a9c1; back to the last good release\" \\",
      "      --sign-with pem --signing-identity ops-alice --key alice.key.pem --out rollback.json",
      "  cairn override create --action approve --environment prod --service hello-service \\",
      "      --installation-id 111111111111:us-east-1 \\",
      "      --commit 4f2a9c1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c --reason \"reviewed change set\" \\",
      "      --artifact-sha256 <digest from cairn status> --installation-id 111111111111:us-east-1 \\",
      "      --approval-valid-for P1D \\",
      "      --sign-with kms --signing-identity kms:alias/ops-bob --kms-key-id alias/ops-bob \\",
      "      --out approve-bob.json",
      "  CAIRN_PGP_PASSPHRASE=... cairn override create --action break_glass --environment prod \\",
      "      --installation-id 111111111111:us-east-1 \\",
      "      --service hello-service --commit 4f2a9c1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c \\",
      "      --reason \"INC-43: deploy over known drift\" --sign-with pgp \\",
      "      --signing-identity pgp:<FINGERPRINT> --key ops.asc --pgp-passphrase-env CAIRN_PGP_PASSPHRASE"
    })
public final class OverrideCreateCommand implements Callable<Integer> {

  /** How the request is signed. */
  enum SignWith {
    pem,
    pgp,
    kms
  }

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws = new AwsOptions();

  @Option(
      names = "--action",
      required = true,
      description = "promote, rollback, requeue, approve or break_glass.")
  String action;

  @Option(names = "--service", required = true, description = "The service.")
  String service;

  @Option(
      names = "--commit",
      required = true,
      description = "The artifact's full commit SHA (for rollback: the release to go back to).")
  String commit;

  @Option(
      names = "--environment",
      description = "The environment (required except for requeue, which defaults to the first).")
  String environment;

  @Option(
      names = "--installation-id",
      required = true,
      paramLabel = "ID",
      description =
          "The Cairn installation the request is for: installation_id in the control-plane config"
              + " (<tools account>:<region>). Another installation refuses it"
              + " (OVERRIDE_WRONG_INSTALLATION).")
  String installationId;

  @Option(
      names = "--reason",
      required = true,
      description = "The justification, stored as promotion_reason or rollback_reason.")
  String reason;

  @Option(names = "--requester", description = "Who asks. Default: $USER@<host>.")
  String requester;

  @Option(
      names = "--lifetime",
      defaultValue = "PT15M",
      description =
          "How long the request is valid (ISO-8601, at most PT15M). Default: ${DEFAULT-VALUE}.")
  Duration lifetime;

  @Option(
      names = "--artifact-sha256",
      paramLabel = "HEX",
      description =
          "approve: the artifact_sha256 being approved (cairn status shows it). Required for"
              + " approve.")
  String artifactSha256;

  @Option(
      names = "--approval-valid-for",
      defaultValue = "P1D",
      description =
          "approve: how long the approval counts after it is signed (ISO-8601, at most P7D)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration approvalValidFor;

  @Option(
      names = "--sign-with",
      required = true,
      description =
          "pem (--key PEM private key), pgp (--key armored secret key) or kms (--kms-key-id).")
  SignWith signWith;

  @Option(
      names = "--signing-identity",
      required = true,
      description = "The operator identity in the operator trust policy (operator_keys).")
  String signingIdentity;

  @Option(names = "--key", paramLabel = "FILE", description = "The private key (pem, pgp).")
  Path key;

  @Option(
      names = "--kms-key-id",
      description = "A KMS key (ECC_NIST_P256, ECDSA_SHA_256, MessageType=DIGEST) for kms.")
  String kmsKeyId;

  @Option(
      names = "--pgp-passphrase-env",
      paramLabel = "VAR",
      description = "Environment variable holding the OpenPGP passphrase.")
  String pgpPassphraseEnv;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the signed request.")
  Path out;

  @Option(names = "--force", description = "Overwrite --out if it exists.")
  boolean force;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    OverrideAction a = OverrideAction.fromWire(action);
    if (a == null) {
      throw new CliIo.UsageException(
          "--action must be one of promote, rollback, requeue, approve, break_glass");
    }
    if (environment == null && a != OverrideAction.REQUEUE) {
      throw new CliIo.UsageException("--action " + action + " needs --environment");
    }
    if (!OverrideRequests.INSTALLATION.matcher(installationId).matches()) {
      throw new CliIo.UsageException(
          "--installation-id must look like 111111111111:us-east-1 (letters, digits, : . _ -)");
    }
    if (lifetime.compareTo(OverrideRequests.MAX_LIFETIME) > 0) {
      throw new CliIo.UsageException("--lifetime is at most PT15M");
    }
    if (a == OverrideAction.APPROVE) {
      if (artifactSha256 == null || !artifactSha256.matches("[0-9a-f]{64}")) {
        throw new CliIo.UsageException(
            "--action approve needs --artifact-sha256 (64 lower-case hex digits)");
      }
      if (approvalValidFor.isNegative()
          || approvalValidFor.isZero()
          || approvalValidFor.compareTo(OverrideRequests.MAX_APPROVAL_LIFETIME) > 0) {
        throw new CliIo.UsageException("--approval-valid-for is between PT1S and P7D");
      }
    } else if (artifactSha256 != null) {
      throw new CliIo.UsageException("--artifact-sha256 belongs to --action approve");
    }
    CliIo.requireAbsentOrForced(out, force);
    byte[] nonceBytes = new byte[24];
    new SecureRandom().nextBytes(nonceBytes);
    String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
    ObjectNode request;
    try {
      Instant requestedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      request =
          OverrideRequests.create(
              a,
              service,
              commit,
              environment,
              installationId,
              reason,
              requester != null ? requester : defaultRequester(),
              requestedAt,
              lifetime,
              nonce);
      if (a == OverrideAction.APPROVE) {
        request =
            OverrideRequests.bindApproval(
                request, artifactSha256, installationId, requestedAt.plus(approvalValidFor));
      }
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException(e.getMessage());
    }
    ObjectNode signed = OverrideRequests.sign(request, signer());
    try {
      OverrideRequests.parse(
          Json.compact(signed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (dev.cairn.core.override.OverrideRefusedException e) {
      throw new CliIo.UsageException("the request would be refused: " + e.getMessage());
    }
    CliIo.writeString(out, Json.pretty(signed) + "\n", false);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %s %s@%s%s, signed by %s, expires %s%n",
            out,
            a.wireName(),
            service,
            commit,
            environment == null ? "" : " in " + environment,
            signingIdentity,
            Instant.parse(signed.path("expires_at").asText()));
    return CairnCli.EXIT_OK;
  }

  private ManifestSigner signer() {
    switch (signWith) {
      case kms -> {
        if (kmsKeyId == null) {
          throw new CliIo.UsageException("--sign-with kms needs --kms-key-id");
        }
        return new dev.cairn.aws.kms.KmsManifestSigner(
            aws.clients().kms(), kmsKeyId, signingIdentity);
      }
      case pem -> {
        if (key == null) {
          throw new CliIo.UsageException("--sign-with pem needs --key");
        }
        return new PemKeySigner(
            signingIdentity,
            PemKeys.readPrivateKey(CliIo.readString(key, CliIo.Input.PRIVATE_KEY)));
      }
      default -> {
        if (key == null) {
          throw new CliIo.UsageException("--sign-with pgp needs --key");
        }
        char[] passphrase = new char[0];
        if (pgpPassphraseEnv != null) {
          String value = System.getenv(pgpPassphraseEnv);
          if (value == null) {
            throw new CliIo.UsageException(
                "environment variable " + pgpPassphraseEnv + " is not set");
          }
          passphrase = value.toCharArray();
        }
        return new PgpSigner(
            signingIdentity,
            PgpKeys.readSigningKey(
                CliIo.readString(key, CliIo.Input.OPENPGP_SECRET_KEY),
                passphrase,
                clock.instant()));
      }
    }
  }

  private static String defaultRequester() {
    String user = System.getProperty("user.name", "operator");
    try {
      return user + "@" + InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return user;
    }
  }
}
