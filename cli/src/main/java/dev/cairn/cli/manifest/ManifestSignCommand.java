package dev.cairn.cli.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSigner;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn manifest sign}. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a manifest in place.",
      "Sets signing_identity, signs the RFC 8785 canonical form of the manifest without its",
      "signature field, and stores the base64 signature."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:signed",
      "2:usage or I/O error: the manifest or key is missing or malformed, KMS refused to sign"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn manifest sign --manifest artifact-manifest.json \\",
      "      --signing-identity key:ci-signer --private-key-pem ci-signer.key.pem",
      "  cairn manifest sign --manifest artifact-manifest.json \\",
      "      --signing-identity kms:alias/cdk-ci-artifact-signer --kms-key-id alias/cdk-ci-artifact-signer",
      "  CAIRN_PGP_PASSPHRASE=... cairn manifest sign --manifest artifact-manifest.json \\",
      "      --signing-identity pgp:<FINGERPRINT> --pgp-secret-key signer.asc \\",
      "      --pgp-passphrase-env CAIRN_PGP_PASSPHRASE"
    })
public final class ManifestSignCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--manifest",
      required = true,
      description = "The manifest to sign (rewritten in place).")
  Path manifestFile;

  @Option(
      names = "--signing-identity",
      required = true,
      description = "The identity the trust policy pins, e.g. kms:alias/cdk-ci-artifact-signer.")
  String signingIdentity;

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeySource key;

  static final class KeySource {
    @Option(names = "--private-key-pem", description = "A PEM private key (EC P-256 or RSA).")
    Path privateKeyPem;

    @Option(names = "--pgp-secret-key", description = "An armored OpenPGP secret key.")
    Path pgpSecretKey;

    @Option(
        names = "--kms-key-id",
        description =
            "A KMS key (id, ARN or alias) with KeySpec ECC_NIST_P256: KMS Sign, ECDSA_SHA_256, MessageType=DIGEST. Credentials, region and AWS_ENDPOINT_URL_KMS come from the AWS default chain.")
    String kmsKeyId;
  }

  @picocli.CommandLine.Mixin
  dev.cairn.cli.publish.AwsOptions aws = new dev.cairn.cli.publish.AwsOptions();

  @Option(
      names = "--pgp-passphrase-env",
      paramLabel = "VAR",
      description =
          "Environment variable holding the OpenPGP passphrase (never pass secrets as arguments).")
  String pgpPassphraseEnv;

  @Override
  public Integer call() throws IOException {
    ObjectNode manifest = readManifest(manifestFile);
    ManifestSigner signer = signer();
    ObjectNode signed = ManifestFactory.sign(manifest, signer);
    CliIo.writeString(manifestFile, Json.pretty(signed) + "\n", false);
    spec.commandLine()
        .getOut()
        .printf(
            "signed %s as %s (%s)%n", manifestFile, signer.signingIdentity(), signer.algorithm());
    return CairnCli.EXIT_OK;
  }

  private ManifestSigner signer() {
    if (key.kmsKeyId != null) {
      return new dev.cairn.aws.kms.KmsManifestSigner(
          aws.clients().kms(), key.kmsKeyId, signingIdentity);
    }
    if (key.privateKeyPem != null) {
      return new PemKeySigner(
          signingIdentity,
          PemKeys.readPrivateKey(CliIo.readString(key.privateKeyPem, CliIo.Input.PRIVATE_KEY)));
    }
    char[] passphrase = new char[0];
    if (pgpPassphraseEnv != null) {
      String value = System.getenv(pgpPassphraseEnv);
      if (value == null) {
        throw new CliIo.UsageException("environment variable " + pgpPassphraseEnv + " is not set");
      }
      passphrase = value.toCharArray();
    }
    return new PgpSigner(
        signingIdentity,
        PgpKeys.readSigningKey(
            CliIo.readString(key.pgpSecretKey, CliIo.Input.OPENPGP_SECRET_KEY),
            passphrase,
            java.time.Clock.systemUTC().instant()));
  }

  static ObjectNode readManifest(Path file) {
    JsonNode node;
    try {
      node = Json.parse(CliIo.readBytes(file, CliIo.Input.MANIFEST));
    } catch (IOException e) {
      throw new CliIo.UsageException(
          "manifest " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode obj)) {
      throw new CliIo.UsageException("manifest " + file + " is not a JSON object");
    }
    return obj;
  }
}
