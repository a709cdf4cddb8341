package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.cli.publish.RecordMacOptions;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditExportVerifier;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.audit.EntryFacts;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
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

  /** The audit table as the source, as {@code --table T} gives it (the dashboard's reader). */
  public static AuditSource table(String table) {
    AuditSource s = new AuditSource();
    s.table = table;
    return s;
  }

  /**
   * What a read of the chain found: the verification (null when an item failed its MAC check),
   * whether MACs were checked, and the item refused for its MAC, if any.
   */
  public record Read(
      AuditVerification verification,
      boolean macsChecked,
      RecordUnauthenticatedException unauthenticated) {}

  /**
   * Verifies the chain; {@code observe} wraps the entries on their way to the verifier (to record
   * anchored ones, to compute figures), in sequence order. With {@code --table} and a MAC key,
   * every entry's and the head's {@code item_mac} is checked too (an export carries no MACs).
   */
  public Read verify(
      AwsOptions aws,
      String chain,
      RecordMacOptions mac,
      UnaryOperator<Iterator<JsonNode>> observe) {
    if (table != null) {
      var clients = aws.clients();
      try (var dynamoDb = clients.dynamoDb()) {
        Optional<ItemMacs> macs = mac == null ? Optional.empty() : mac.macs(clients);
        // The CLI reports a refused item in its output and exit code; it writes nothing.
        DynamoDbAuditLog log =
            macs.isPresent()
                ? new DynamoDbAuditLog(dynamoDb, table, chain, macs.get(), refused -> {})
                : DynamoDbAuditLog.withoutMacCheck(dynamoDb, table, chain);
        try {
          @SuppressWarnings("unchecked")
          Iterator<JsonNode> entries = (Iterator<JsonNode>) (Iterator<?>) log.entries();
          return new Read(
              AuditChainVerifier.verify(observe.apply(entries), log.head()),
              log.macsChecked(),
              null);
        } catch (RecordUnauthenticatedException e) {
          return new Read(null, log.macsChecked(), e);
        }
      }
    }
    // Streamed, never read whole: no size limit, but a regular file (a FIFO would block) and
    // bounded lines (one 3 GiB line must not be slurped by readLine).
    CliIo.requireRegularFile(file, "audit file");
    try (InputStream in = Files.newInputStream(file)) {
      return new Read(
          AuditChainVerifier.verify(observe.apply(new AuditJsonLines(new AuditExportLines(in)))),
          false,
          null);
    } catch (NoSuchFileException e) {
      throw new CliIo.UsageException("audit file " + file + " does not exist");
    } catch (IOException | UncheckedIOException e) {
      throw new CliIo.UsageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Verifies the chain as {@link #verify} does, for a caller that needs the chain facts of a few
   * entries only: {@code observe} sees, in sequence order, every entry whose sequence {@code
   * wanted} names (and, from an export, any entry the check reads whole). An export is read in
   * chunks hashed on every core ({@link AuditExportVerifier}), with the verdict of the one-by-one
   * check.
   */
  public Read verifyChain(
      AwsOptions aws,
      String chain,
      RecordMacOptions mac,
      LongPredicate wanted,
      Consumer<EntryFacts> observe) {
    if (table != null) {
      return verify(aws, chain, mac, entries -> observing(entries, observe));
    }
    CliIo.requireRegularFile(file, "audit file");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      return new Read(
          AuditExportVerifier.verify(
              in,
              Runtime.getRuntime().availableProcessors(),
              AuditJsonLines.MAX_LINE_CHARS,
              wanted,
              observe),
          false,
          null);
    } catch (AuditExportVerifier.LineTooLongException e) {
      throw new CliIo.UsageException(AuditExportLines.tooLong(e.lineNumber()));
    } catch (NoSuchFileException e) {
      throw new CliIo.UsageException("audit file " + file + " does not exist");
    } catch (IOException | UncheckedIOException e) {
      throw new CliIo.UsageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Iterator<JsonNode> observing(
      Iterator<JsonNode> entries, Consumer<EntryFacts> observe) {
    return peeking(entries, e -> observe.accept(EntryFacts.of(e)));
  }

  /** {@code entries}, each handed to {@code sink} as it passes (on its way to the verifier). */
  public static <T> Iterator<T> peeking(Iterator<T> entries, Consumer<? super T> sink) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public T next() {
        T e = entries.next();
        sink.accept(e);
        return e;
      }
    };
  }

  /** True when the chain is read from the table (MACs can be checked), false for an export. */
  public boolean fromTable() {
    return table != null;
  }
}
