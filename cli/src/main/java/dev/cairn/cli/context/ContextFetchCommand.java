package dev.cairn.cli.context;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn context fetch}: download a blessed context, verify hash and signature, write it. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch an environment's blessed context and write it only if it verifies.",
      "Reads the environment's current bless ({env}/latest.bless.json names the dated object and"
          + " its S3 version), or the one --bless-object/--bless-version-id name, at exactly that"
          + " version. Checks its SHA-256, its signature under the pinned key and that it is not"
          + " revoked before writing. Refuses (exit 1) when any of them is missing or wrong.",
      "--bless-out writes which bless it was ({object_key, version_id, cdk_context_hash}); pass"
          + " that file to cairn manifest create --context-bless, so the deploy pipeline checks"
          + " exactly the context the artifact was built with."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:verified and written",
      "1:refused: the context, hash or signature is missing or wrong",
      "2:usage or I/O error"
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn context fetch --bucket cdk-contexts-111111111111 --env prod \\",
      "      --public-key context-signer.pub.pem --out cdk.context.json \\",
      "      --bless-out cairn-context-bless.json"
    })
public final class ContextFetchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bucket", required = true, description = "The cdk-contexts bucket.")
  String bucket;

  @Option(names = "--env", required = true, description = "Environment name.")
  String env;

  @Option(
      names = "--bless-object",
      description =
          "A dated bless to fetch instead of the current one ({env}/{date}.context.json); needs"
              + " --bless-version-id.")
  String blessObject;

  @Option(names = "--bless-version-id", description = "The S3 version id of --bless-object.")
  String blessVersionId;

  @Option(
      names = "--bless-out",
      description =
          "Write {object_key, version_id, cdk_context_hash} of the verified bless here (for cairn"
              + " manifest create --context-bless).")
  Path blessOut;

  @Option(names = "--out", required = true, description = "Where to write the verified context.")
  Path out;

  @Option(
      names = "--public-key",
      required = true,
      description = "Pinned PEM or armored OpenPGP public key of the context signer.")
  Path publicKey;

  @Option(names = "--expect-sha256", description = "Also require this SHA-256 (hex).")
  String expectSha256;

  @Option(names = "--endpoint-url", description = "S3 endpoint override (sandbox).")
  String endpointUrl;

  @Option(names = "--region", description = "AWS region (default: the SDK's chain).")
  String region;

  private final ContextClients clients;

  public ContextFetchCommand() {
    this(ContextClients.standard());
  }

  ContextFetchCommand(ContextClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() throws IOException {
    ContextTrust trust = ContextTrust.parse(CliIo.readString(publicKey, CliIo.Input.PUBLIC_KEY));
    if ((blessObject == null) != (blessVersionId == null)) {
      throw new ParameterException(
          spec.commandLine(), "--bless-object and --bless-version-id go together");
    }
    ContextBlessReference named = null;
    if (blessObject != null) {
      try {
        named = new ContextBlessReference(blessObject, blessVersionId);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!named.keys().env().equals(env)) {
        throw new ParameterException(
            spec.commandLine(), "--bless-object " + blessObject + " is not a bless of " + env);
      }
    }
    try (S3Client s3 = clients.s3(endpointUrl, region)) {
      ContextFetcher fetcher = new ContextFetcher(new S3BlessedContextStore(s3, bucket));
      ContextFetcher.Verified v =
          ContextFetcher.expecting(
              named == null ? fetcher.fetchCurrent(env, trust) : fetcher.fetch(named, trust),
              Optional.ofNullable(expectSha256));
      write(out, v.context());
      if (blessOut != null) {
        ObjectNode bless = v.bless().toJson();
        bless.put("cdk_context_hash", v.sha256());
        write(blessOut, (Json.pretty(bless) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      spec.commandLine().getOut().println("cdk_context_hash=" + v.sha256());
      spec.commandLine().getOut().println("cdk_context_bless_object=" + v.bless().objectKey());
      spec.commandLine().getOut().println("cdk_context_bless_version_id=" + v.bless().versionId());
      spec.commandLine()
          .getErr()
          .println("verified s3://" + bucket + "/" + v.bless() + " -> " + out);
      return CairnCli.EXIT_OK;
    } catch (ContextRejectedException e) {
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return CairnCli.EXIT_FAILED;
    }
  }

  /** Written atomically: a reader sees the whole verified file or none. */
  private static void write(Path file, byte[] bytes) throws IOException {
    dev.cairn.cli.common.CliIo.writeAtomically(file, false, out -> out.write(bytes));
  }
}
