package dev.cairn.cli.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.manifest.ManifestFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn manifest canonical}: the bytes an external signer signs. */
@Command(
    name = "canonical",
    mixinStandardHelpOptions = true,
    description = {
      "Write the exact bytes a manifest signature covers, for a signer outside Cairn.",
      "They are the RFC 8785 canonical form of the manifest with the given signing_identity",
      "and without its signature field. Sign them with gpg-agent, a hardware key or",
      "aws kms sign, then store the signature with 'cairn manifest attach-signature'."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the bytes were written", "2:usage or I/O error"},
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn manifest canonical --manifest artifact-manifest.json \\",
      "      --signing-identity pgp:$FPR --out manifest.canonical",
      "  gpg --local-user $FPR --detach-sign --output manifest.sig manifest.canonical",
      "  cairn manifest attach-signature --manifest artifact-manifest.json \\",
      "      --signing-identity pgp:$FPR --signature-file manifest.sig"
    })
public final class ManifestCanonicalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--manifest", required = true, description = "The manifest (not changed).")
  Path manifestFile;

  @Option(
      names = "--signing-identity",
      description =
          "The identity the trust policy pins (default: the manifest's signing_identity). The same"
              + " value must be given to attach-signature: it is part of the signed bytes.")
  String signingIdentity;

  @Option(names = "--out", description = "Where to write the bytes (default: standard output).")
  Path out;

  @Override
  public Integer call() throws IOException {
    ObjectNode manifest = ManifestSignCommand.readManifest(manifestFile);
    String identity = signingIdentity;
    if (identity == null) {
      identity = manifest.path(ManifestFields.SIGNING_IDENTITY).asText(null);
      if (identity == null || identity.isEmpty()) {
        throw new CliIo.UsageException(
            "the manifest has no signing_identity: pass --signing-identity");
      }
    }
    byte[] bytes = ManifestFactory.signedBytes(manifest, identity);
    if (out == null) {
      System.out.write(bytes);
      System.out.flush();
    } else {
      CliIo.writeBytes(out, bytes);
      spec.commandLine()
          .getErr()
          .printf("wrote %s: %d bytes to sign as %s%n", out, bytes.length, identity);
    }
    return CairnCli.EXIT_OK;
  }
}
