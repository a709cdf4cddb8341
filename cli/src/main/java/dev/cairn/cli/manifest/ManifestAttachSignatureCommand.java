package dev.cairn.cli.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bouncycastle.bcpg.ArmoredInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn manifest attach-signature}: store a signature made outside Cairn. */
@Command(
    name = "attach-signature",
    mixinStandardHelpOptions = true,
    description = {
      "Store a detached signature made outside Cairn in the manifest (rewritten in place).",
      "The signature must cover the bytes 'cairn manifest canonical' wrote for the same",
      "signing identity: a binary OpenPGP signature (gpg --detach-sign), an armored one",
      "(gpg --armor --detach-sign, with --armor), or a raw DER ECDSA / RSASSA-PSS signature",
      "(aws kms sign ... --query Signature --output text | base64 -d). It is checked against",
      "the trust policy by 'cairn manifest verify', not here."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the signature was attached", "2:usage or I/O error"},
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn manifest attach-signature --manifest artifact-manifest.json \\",
      "      --signing-identity pgp:$FPR --signature-file manifest.sig"
    })
public final class ManifestAttachSignatureCommand implements Callable<Integer> {

  /** More than any OpenPGP, ECDSA or RSA-4096 signature needs. */
  private static final int MAX_SIGNATURE = 64 * 1024;

  @Spec CommandSpec spec;

  @Option(names = "--manifest", required = true, description = "The manifest (rewritten in place).")
  Path manifestFile;

  @Option(
      names = "--signing-identity",
      required = true,
      description = "The identity given to 'cairn manifest canonical'.")
  String signingIdentity;

  @Option(
      names = "--signature-file",
      required = true,
      description = "The detached signature (binary, or armored with --armor).")
  Path signatureFile;

  @Option(names = "--armor", description = "The signature file is ASCII-armored OpenPGP.")
  boolean armor;

  @Override
  public Integer call() throws IOException {
    ObjectNode manifest = ManifestSignCommand.readManifest(manifestFile);
    byte[] raw = CliIo.readBytes(signatureFile, CliIo.Input.SIGNATURE);
    if (raw.length == 0 || raw.length > MAX_SIGNATURE) {
      throw new CliIo.UsageException(
          "--signature-file " + signatureFile + " is empty or larger than 64 KiB");
    }
    byte[] signature = armor ? dearmor(raw) : raw;
    if (!armor && startsWith(raw, "-----BEGIN ")) {
      throw new CliIo.UsageException(
          "--signature-file " + signatureFile + " is armored: add --armor");
    }
    ObjectNode signed = ManifestFactory.attachSignature(manifest, signingIdentity, signature);
    CliIo.writeString(manifestFile, Json.pretty(signed) + "\n", false);
    spec.commandLine()
        .getOut()
        .printf(
            "attached a %d-byte signature to %s as %s; check it with 'cairn manifest verify'%n",
            signature.length, manifestFile, signingIdentity);
    return CairnCli.EXIT_OK;
  }

  private byte[] dearmor(byte[] armored) {
    if (!startsWith(armored, "-----BEGIN PGP SIGNATURE-----")) {
      throw new CliIo.UsageException(
          "--signature-file " + signatureFile + " is not an armored OpenPGP signature");
    }
    try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored))) {
      byte[] binary = in.readNBytes(MAX_SIGNATURE);
      if (binary.length == 0) {
        throw new CliIo.UsageException("--signature-file " + signatureFile + " has no signature");
      }
      return binary;
    } catch (IOException e) {
      throw new CliIo.UsageException(
          "--signature-file " + signatureFile + " is not valid armor: " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (bytes[i] != p[i]) {
        return false;
      }
    }
    return true;
  }
}
