package dev.cairn.cli.key;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn key generate}. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a signing key pair as PEM files.",
      "The private key is PKCS#8 (mode 0600), the public key SubjectPublicKeyInfo. Keys made by",
      "openssl work with every command too."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:both files written",
      "2:usage or I/O error: an unknown algorithm, a file that exists (without --force), a"
          + " directory that cannot be written"
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn key generate --algorithm ecdsa-p256 \\",
      "      --private-key-out ci-signer.key.pem --public-key-out ci-signer.pub.pem"
    })
public final class KeyGenerateCommand implements Callable<Integer> {

  enum Algorithm {
    ecdsa_p256,
    rsa_3072
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--algorithm",
      required = true,
      converter = AlgorithmConverter.class,
      description =
          "ecdsa-p256 (KMS ECC_NIST_P256 / ECDSA_SHA_256) or rsa-3072 (RSASSA_PSS_SHA_256).")
  Algorithm algorithm;

  @Option(
      names = "--private-key-out",
      required = true,
      description = "Where to write the private key.")
  Path privateKeyOut;

  @Option(
      names = "--public-key-out",
      required = true,
      description = "Where to write the public key.")
  Path publicKeyOut;

  @Option(names = "--force", description = "Replace existing files.")
  boolean force;

  @Override
  public Integer call() {
    CliIo.requireAbsentOrForced(privateKeyOut, force);
    CliIo.requireAbsentOrForced(publicKeyOut, force);
    KeyPair pair =
        PemKeys.generate(
            algorithm == Algorithm.ecdsa_p256
                ? SignatureAlgorithm.ECDSA_SHA_256
                : SignatureAlgorithm.RSASSA_PSS_SHA_256);
    CliIo.writeString(privateKeyOut, PemKeys.toPem(pair.getPrivate()), true);
    CliIo.writeString(publicKeyOut, PemKeys.toPem(pair.getPublic()), false);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s (private) and %s (public); key fingerprint sha256:%s%n",
            privateKeyOut, publicKeyOut, PemKeys.fingerprint(pair.getPublic()));
    return CairnCli.EXIT_OK;
  }

  static final class AlgorithmConverter implements picocli.CommandLine.ITypeConverter<Algorithm> {
    @Override
    public Algorithm convert(String value) {
      return switch (value) {
        case "ecdsa-p256" -> Algorithm.ecdsa_p256;
        case "rsa-3072" -> Algorithm.rsa_3072;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "'" + value + "' is not one of ecdsa-p256, rsa-3072");
      };
    }
  }
}
