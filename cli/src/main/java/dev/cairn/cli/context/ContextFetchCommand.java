package dev.cairn.cli.context;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn context fetch}: download a blessed context, verify hash and signature, write it. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch an environment's blessed context and write it only if it verifies.",
      "Checks its SHA-256 and its signature under the pinned key before writing. Refuses (exit 1)"
          + " when the context, hash or signature is missing or wrong."
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
      "      --public-key context-signer.pub.pem --out cdk.context.json"
    })
public final class ContextFetchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bucket", required = true, description = "The cdk-contexts bucket.")
  String bucket;

  @Option(names = "--env", required = true, description = "Environment name.")
  String env;

  @Option(
      names = "--date",
      defaultValue = ContextKeys.LATEST,
      description = "A blessed date (yyyyMMddTHHmmssZ) or 'latest' (default).")
  String date;

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

  private final AwsClients clients;

  public ContextFetchCommand() {
    this(AwsClients.standard());
  }

  ContextFetchCommand(AwsClients clients) {
    this.clients = clients;
  }

  @Override
  public Integer call() throws IOException {
    ContextTrust trust = ContextTrust.parse(CliIo.readString(publicKey, CliIo.Input.PUBLIC_KEY));
    ContextKeys keys = new ContextKeys(env, date);
    try (S3Client s3 = clients.s3(endpointUrl, region)) {
      ContextFetcher.Verified v =
          new ContextFetcher(new S3BlessedContextStore(s3, bucket))
              .fetch(keys, trust, Optional.ofNullable(expectSha256));
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".context", ".tmp");
      Files.write(tmp, v.context());
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      spec.commandLine().getOut().println("cdk_context_hash=" + v.sha256());
      spec.commandLine()
          .getErr()
          .println("verified s3://" + bucket + "/" + keys.context() + " -> " + out);
      return CairnCli.EXIT_OK;
    } catch (ContextRejectedException e) {
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return CairnCli.EXIT_FAILED;
    }
  }
}
