package dev.cairn.cli.context;

import dev.cairn.aws.s3.S3BlessedContextStore;
import dev.cairn.cli.CairnCli;
import dev.cairn.core.context.ContextBlessException;
import dev.cairn.core.context.ContextBlesser;
import dev.cairn.core.context.ContextKeys;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code cairn context revoke}: write the signed revocation of a dated bless, write-once. From then
 * on the deploy pipeline refuses every artifact built with it ({@code CONTEXT_BLESS_REVOKED}) and
 * {@code cairn context fetch} refuses to hand it out.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a blessed context: artifacts built with it are refused at every deploy.",
      "Writes {env}/{date}.context.json.revoked (who, when, why) and its signature by the"
          + " context-blessing key, write-once. Runs as the context generator, the only principal"
          + " the contexts bucket lets write."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:revoked",
      "1:refused: no such bless, the latest copy, or already revoked",
      "2:usage or I/O error"
    },
    footerHeading = "%nExample (secure context pipeline, role cdk-context-generator):%n",
    footer = {
      "  cairn context revoke --bucket cdk-contexts-111111111111 \\",
      "      --bless-object prod/20261206T093000Z.context.json \\",
      "      --reason 'VPC lookup answered from a poisoned account' \\",
      "      --sign-with kms:alias/cdk-context-signer"
    })
public final class ContextRevokeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--bless-object",
      required = true,
      description = "The dated bless to revoke ({env}/{date}.context.json).")
  String blessObject;

  @Option(names = "--reason", required = true, description = "Why (recorded and signed).")
  String reason;

  @Mixin ContextSigning signing;

  private final ContextClients clients;
  private final Clock clock;

  public ContextRevokeCommand() {
    this(ContextClients.standard(), Clock.systemUTC());
  }

  ContextRevokeCommand(ContextClients clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    ContextKeys keys =
        ContextKeys.ofContextKey(blessObject)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "--bless-object must be {env}/{date}.context.json: " + blessObject));
    if (reason.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--reason must say why");
    }
    try (S3Client s3 = signing.s3(clients)) {
      ContextBlesser.Revoked r =
          new ContextBlesser(new S3BlessedContextStore(s3, signing.bucket), clock)
              .revoke(keys, reason, signing.signer(clients, clock));
      spec.commandLine().getOut().println("revoked=" + r.keys().context());
      spec.commandLine()
          .getErr()
          .println(
              "revoked s3://"
                  + signing.bucket
                  + "/"
                  + r.keys().context()
                  + " (sha256 "
                  + r.sha256()
                  + "): "
                  + r.revocationKey());
      return CairnCli.EXIT_OK;
    } catch (ContextBlessException e) {
      spec.commandLine().getErr().println("refused: " + e.getMessage());
      return CairnCli.EXIT_FAILED;
    }
  }
}
