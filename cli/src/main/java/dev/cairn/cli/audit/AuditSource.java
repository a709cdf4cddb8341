package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditVerification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where a command reads the audit chain from: the table, or an export of it. Either way the entries
 * stream through the chain verifier once, never read whole.
 */
public final class AuditSource {

  @Option(names = "--table", paramLabel = "T", description = "The audit log table (cdk-audit-log).")
  String table;

  @Option(
      names = "--file",
      paramLabel = "FILE.jsonl",
      description = "An export from `cairn audit export`.")
  Path file;

  /**
   * Verifies the chain; {@code observe} wraps the entries on their way to the verifier (to record
   * anchored ones, to compute figures), in sequence order.
   */
  public AuditVerification verify(
      AwsOptions aws, String chain, UnaryOperator<Iterator<JsonNode>> observe) {
    if (table != null) {
      try (var dynamoDb = aws.clients().dynamoDb()) {
        DynamoDbAuditLog log = new DynamoDbAuditLog(dynamoDb, table, chain);
        @SuppressWarnings("unchecked")
        Iterator<JsonNode> entries = (Iterator<JsonNode>) (Iterator<?>) log.entries();
        return AuditChainVerifier.verify(observe.apply(entries), log.head());
      }
    }
    // Streamed, never read whole: no size limit, but a regular file (a FIFO would block) and
    // bounded lines (one 3 GiB line must not be slurped by readLine).
    CliIo.requireRegularFile(file, "audit file");
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return AuditChainVerifier.verify(observe.apply(new AuditJsonLines(r)));
    } catch (NoSuchFileException e) {
      throw new CliIo.UsageException("audit file " + file + " does not exist");
    } catch (IOException | UncheckedIOException e) {
      throw new CliIo.UsageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
