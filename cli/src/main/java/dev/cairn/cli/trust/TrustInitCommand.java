package dev.cairn.cli.trust;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn trust init}. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a trust policy (schema/trust-policy.v1.json).",
      "The algorithm comes from each key: EC P-256 -> ECDSA_SHA_256, RSA -> RSASSA_PSS_SHA_256,",
      "armored OpenPGP key -> OPENPGP."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:policy written",
      "2:usage or I/O error: a malformed --signer, an unreadable or unsupported key, a file that"
          + " exists (without --force)"
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn trust init --out trust-policy.json \\",
      "      --signer kms:alias/cdk-ci-artifact-signer=ci-signer.pub.pem \\",
      "      --allowed-cdk-cli-version 2.1148.1 --required-source-ref refs/heads/main"
    })
public final class TrustInitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "Where to write the policy.")
  Path out;

  @Option(
      names = "--signer",
      required = true,
      paramLabel = "IDENTITY=PUBLIC_KEY_FILE",
      description =
          "A trusted signer: its identity and its public key file (PEM or armored OpenPGP). Repeatable.")
  List<String> signers;

  @Option(
      names = "--allowed-cdk-cli-version",
      required = true,
      paramLabel = "V",
      description = "An approved CDK CLI version. Repeatable.")
  List<String> cliVersions;

  @Option(
      names = "--required-source-ref",
      required = true,
      paramLabel = "REF",
      description = "A ref artifacts may come from, e.g. refs/heads/main. Repeatable.")
  List<String> sourceRefs;

  @Option(names = "--force", description = "Replace an existing file.")
  boolean force;

  @Option(
      names = "--allow-asserted-git-signature",
      description =
          "Accept manifests whose commit signature CI asserted (manifest create"
              + " --git-signature-verified) instead of verifying it (--repo --allowed-signers)."
              + " Off by default.")
  boolean allowAssertedGitSignature;

  @Override
  public Integer call() {
    CliIo.requireAbsentOrForced(out, force);
    List<TrustPolicy.SignerSpec> specs = new ArrayList<>();
    for (String s : signers) {
      // Identities (kms:alias/..., pgp:<fingerprint>) have no '='; file paths may.
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new CliIo.UsageException("--signer must be IDENTITY=PUBLIC_KEY_FILE, got " + s);
      }
      String identity = s.substring(0, eq);
      String key = CliIo.readString(Path.of(s.substring(eq + 1)), CliIo.Input.PUBLIC_KEY);
      SignatureAlgorithm algorithm =
          PgpKeys.looksArmoredPublicKey(key)
              ? SignatureAlgorithm.OPENPGP
              : PemKeys.algorithmOf(PemKeys.readPublicKey(key));
      specs.add(new TrustPolicy.SignerSpec(identity, algorithm, key));
    }
    // Building through TrustPolicy.of parses every key now, so a bad policy is never written.
    TrustPolicy policy = TrustPolicy.of(specs, cliVersions, sourceRefs, allowAssertedGitSignature);
    CliIo.writeString(out, Json.pretty(policy.toJson()) + "\n", false);
    spec.commandLine().getOut().printf("wrote %s with %d signer(s)%n", out, specs.size());
    return CairnCli.EXIT_OK;
  }
}
