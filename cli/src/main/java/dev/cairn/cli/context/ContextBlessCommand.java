package dev.cairn.cli.context;

import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.core.context.ContextBlessException;
import dev.cairn.core.context.ContextBlesser;
import dev.cairn.core.context.ContextSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn context bless}: regenerate the context twice, require identical hashes, sign, upload
 * {@code {env}/{date}.context.json|.sha256|.json.sig|.json.asc} and move {@code latest}.
 */
@Command(
    name = "bless",
    mixinStandardHelpOptions = true,
    description = {
      "Bless an environment's context: generate it twice, sign it, upload it write-once.",
      "The generator command runs twice from scratch (the context file is deleted before each run"
          + " so every lookup is repeated); the two results must hash the same. The context is"
          + " then signed and uploaded, write-once, and the latest pointer is moved."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:blessed: uploaded and the latest pointer moved",
      "1:refused (the reason is printed), e.g. the two generations hash differently",
      "2:usage or I/O error"
    },
    footerHeading = "%nExample (secure context pipeline, role cdk-context-generator):%n",
    footer = {
      "  cairn context bless --bucket cdk-contexts-111111111111 --env prod \\",
      "      --context-file context-generator/cdk.context.json \\",
      "      --sign-with kms:alias/cdk-context-signer"
    })
public final class ContextBlessCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--env", required = true, description = "Environment name.")
  String env;

  @Option(
      names = "--context-file",
      required = true,
      description = "The file the generator writes (CDK: cdk.context.json).")
  Path contextFile;

  @Option(
      names = "--generate-command",
      description =
          "Shell command that regenerates the context file, run in the file's directory."
              + " Default: npx cdk synth --quiet -c cairn:env=<env>")
  String generateCommand;

  @Mixin ContextSigning signing;

  private final ContextClients clients;
  private final Clock clock;

  public ContextBlessCommand() {
    this(ContextClients.standard(), Clock.systemUTC());
  }

  ContextBlessCommand(ContextClients clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    String command =
        generateCommand != null ? generateCommand : "npx cdk synth --quiet -c cairn:env=" + env;
    ContextSource source = () -> regenerate(command);
    try (S3Client s3 = signing.s3(clients)) {
      ContextBlesser.Blessed b =
          new ContextBlesser(new S3BlessedContextStore(s3, signing.bucket), clock)
              .bless(env, source, signing.signer(clients, clock));
      spec.commandLine().getOut().println("cdk_context_hash=" + b.sha256());
      spec.commandLine().getOut().println("cdk_context_bless_object=" + b.keys().context());
      spec.commandLine().getOut().println("cdk_context_bless_version_id=" + b.versionId());
      spec.commandLine()
          .getErr()
          .println(
              "blessed s3://"
                  + signing.bucket
                  + "/"
                  + b.keys().context()
                  + " signed by "
                  + b.signingIdentity()
                  + "; latest moved");
      return CairnCli.EXIT_OK;
    } catch (ContextBlessException e) {
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return CairnCli.EXIT_FAILED;
    }
  }

  private byte[] regenerate(String command) throws IOException {
    Path file = contextFile.toAbsolutePath();
    Files.deleteIfExists(file);
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", command)
            .directory(file.getParent().toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      int rc = pb.start().waitFor();
      if (rc != 0) {
        throw new IOException("generator exited " + rc + ": " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("generator did not write " + file);
    }
    return Files.readAllBytes(file);
  }
}
