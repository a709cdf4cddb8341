package dev.cairn.cli.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.evidence.Dsse;
import dev.cairn.core.evidence.ProvenanceStatement;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.port.ManifestSigner;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn evidence attest}. */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description = {
      "Emit a release evidence record as a signed SLSA provenance attestation.",
      "An in-toto Statement v1 with a SLSA Provenance v1 predicate, signed as a DSSE envelope by",
      "the signer that signed the artifact's manifest.",
      "Subject \"cdk.out\": sha256 = artifact_sha256, the SHA-256 of the canonical file list (the",
      "lines \"<sha256hex>  <path>\\n\" of every cdk.out file, sorted by UTF-8 path bytes, which is",
      "what sha256sum prints for the files sorted with LC_ALL=C); subject",
      "\"artifact-manifest.json\": the SHA-256 of the manifest bytes. The signature covers",
      "DSSE's PAE(payloadType, payload). The record's newest execution in the environment is",
      "attested; one that never verified an artifact has no subject and is refused.",
      "cosign verify-blob-attestation --key verifies it (docs/runbooks/evidence.md)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the envelope was written",
      "1:the artifact has no release evidence record in the environment",
      "2:usage or I/O error: the signing identity is not the manifest's signer, the record has no"
          + " verified artifact, the key is malformed, KMS refused to sign"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn evidence attest hello-service 0123456789abcdef0123456789abcdef01234567 \\",
      "      --environment prod --signing-identity key:ci-signer \\",
      "      --private-key-pem ci-signer.key.pem --out evidence.intoto.json"
    })
public final class EvidenceAttestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Mixin EvidenceTarget target;

  @Option(
      names = "--environment",
      required = true,
      paramLabel = "E",
      description = "The environment whose record is attested.")
  String environment;

  @Option(
      names = "--signing-identity",
      required = true,
      description =
          "The manifest's signing_identity (the record names it); any other identity is refused.")
  String signingIdentity;

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeySource key;

  static final class KeySource {
    @Option(names = "--private-key-pem", description = "A PEM private key (EC P-256 or RSA).")
    Path privateKeyPem;

    @Option(
        names = "--kms-key-id",
        description =
            "A KMS key (id, ARN or alias) with KeySpec ECC_NIST_P256: KMS Sign, ECDSA_SHA_256,"
                + " MessageType=DIGEST.")
    String kmsKeyId;
  }

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the envelope to FILE (default: standard output).")
  Path outFile;

  @Override
  public Integer call() {
    List<EvidenceRecords.Stored> records;
    try (S3Client s3 = aws.clients().s3()) {
      records = EvidenceRecords.load(s3, target.bucket, target.service, target.commit, environment);
    }
    var out = spec.commandLine().getOut();
    if (records.isEmpty()) {
      out.printf(
          "EVIDENCE_NOT_FOUND no release evidence record for %s@%s in %s%n",
          target.service, target.commit, environment);
      out.flush();
      return CairnCli.EXIT_FAILED;
    }
    EvidenceRecords.Stored newest =
        records.stream()
            .filter(r -> r.json() != null)
            .max(Comparator.comparing(r -> r.json().path("recorded_at").asText()))
            .orElseThrow(
                () -> new CliIo.UsageException("no record of " + environment + " is JSON"));
    String manifestSigner = newest.json().path("artifact").path("signing_identity").asText(null);
    if (manifestSigner != null && !manifestSigner.equals(signingIdentity)) {
      throw new CliIo.UsageException(
          "the manifest was signed by "
              + manifestSigner
              + "; the attestation must be signed by the same signer, not "
              + signingIdentity);
    }
    ObjectNode statement;
    try {
      statement = ProvenanceStatement.of(newest.json(), newest.key(), Sha256.hex(newest.bytes()));
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    }
    ObjectNode envelope =
        Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, CanonicalJson.canonicalize(statement), signer());
    String text = Json.compact(envelope) + "\n";
    if (outFile == null) {
      out.print(text);
    } else {
      CliIo.writeString(outFile, text, false);
      out.printf("attested %s as %s to %s%n", newest.key(), signingIdentity, outFile);
    }
    out.flush();
    return CairnCli.EXIT_OK;
  }

  private ManifestSigner signer() {
    if (key.kmsKeyId != null) {
      return new dev.cairn.aws.kms.KmsManifestSigner(
          aws.clients().kms(), key.kmsKeyId, signingIdentity);
    }
    return new PemKeySigner(
        signingIdentity,
        PemKeys.readPrivateKey(CliIo.readString(key.privateKeyPem, CliIo.Input.PRIVATE_KEY)));
  }
}
