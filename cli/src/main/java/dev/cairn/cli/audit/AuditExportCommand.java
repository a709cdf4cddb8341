package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code cairn audit export}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write every audit entry of a chain, in sequence order, as JSON Lines.",
      "One entry per line, exactly as stored, so `cairn audit verify --file` recomputes the same",
      "hashes. Streams page by page; the file is written to a temporary name and renamed when",
      "complete."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:exported", "2:usage or I/O error"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn audit export --table cdk-audit-log --out audit.jsonl",
      "  cairn audit verify --file audit.jsonl"
    })
public final class AuditExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Option(
      names = "--table",
      required = true,
      paramLabel = "T",
      description = "The audit log table (cdk-audit-log).")
  String table;

  @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "Output file.")
  Path out;

  @Option(
      names = "--chain",
      paramLabel = "ID",
      defaultValue = AuditChain.DEFAULT_CHAIN_ID,
      description = "Chain id. Default: ${DEFAULT-VALUE}.")
  String chain;

  @Override
  public Integer call() {
    long n = 0;
    AuditHead head;
    try (DynamoDbClient dynamoDb = aws.clients().dynamoDb()) {
      // The export carries entries as sealed, without MACs: it is checked offline by its chain
      // links and the anchors, which need no key.
      DynamoDbAuditLog log = DynamoDbAuditLog.withoutMacCheck(dynamoDb, table, chain);
      head = log.head();
      long[] written = {0};
      // A read that fails midway leaves no partial export, and no temporary file.
      CliIo.writeAtomically(
          out,
          false,
          stream -> {
            BufferedWriter w =
                new BufferedWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8));
            Iterator<ObjectNode> it = log.entries();
            while (it.hasNext()) {
              w.write(Json.compact(it.next()));
              w.write('\n');
              written[0]++;
            }
            w.flush();
          });
      n = written[0];
    } catch (IOException e) {
      throw new CliIo.UsageException("cannot write " + out + ": " + e.getMessage(), e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "exported %d entries of chain %s to %s (head sequence %d, log_hash %s)%n",
            n, chain, out, head.sequence(), head.logHash());
    spec.commandLine().getOut().flush();
    return CairnCli.EXIT_OK;
  }
}
