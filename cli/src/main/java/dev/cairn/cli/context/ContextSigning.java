package dev.cairn.cli.context;

import dev.cairn.aws.kms.KmsManifestSigner;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSigner;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code context bless} and {@code context revoke} share: the contexts bucket, how to reach
 * it, and the context-blessing key that signs (both must use the same key).
 */
final class ContextSigning {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--bucket", required = true, description = "The cdk-contexts bucket.")
  String bucket;

  @Option(
      names = "--sign-with",
      required = true,
      description =
          "kms:<key id or alias>, pem:<private key file> or pgp:<armored secret key file>: the"
              + " context-blessing key.")
  String signWith;

  @Option(
      names = "--pgp-passphrase-env",
      description = "Environment variable holding the OpenPGP passphrase.")
  String pgpPassphraseEnv;

  @Option(names = "--endpoint-url", description = "S3 endpoint override (sandbox).")
  String endpointUrl;

  @Option(names = "--region", description = "AWS region (default: the SDK's chain).")
  String region;

  S3Client s3(ContextClients clients) {
    return clients.s3(endpointUrl, region);
  }

  /** The signer {@code --sign-with} names. */
  ManifestSigner signer(ContextClients clients, Clock clock) throws IOException {
    int colon = signWith.indexOf(':');
    if (colon < 0) {
      throw new ParameterException(mixee.commandLine(), "--sign-with must be kms:, pem: or pgp:");
    }
    String kind = signWith.substring(0, colon);
    String value = signWith.substring(colon + 1);
    return switch (kind) {
      case "kms" -> new KmsManifestSigner(clients.kms(region), value, "kms:" + value);
      case "pem" ->
          new PemKeySigner(
              "pem:" + Path.of(value).getFileName(),
              PemKeys.readPrivateKey(CliIo.readString(Path.of(value), CliIo.Input.PRIVATE_KEY)));
      case "pgp" -> {
        String pass = pgpPassphraseEnv == null ? "" : System.getenv(pgpPassphraseEnv);
        yield new PgpSigner(
            "pgp:" + Path.of(value).getFileName(),
            PgpKeys.readSigningKey(
                CliIo.readString(Path.of(value), CliIo.Input.OPENPGP_SECRET_KEY),
                (pass == null ? "" : pass).toCharArray(),
                clock.instant()));
      }
      default ->
          throw new ParameterException(
              mixee.commandLine(), "--sign-with must be kms:, pem: or pgp:");
    };
  }
}
