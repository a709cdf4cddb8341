package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditSequence;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code cairn audit verify}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the audit hash chain from the table or from an exported JSONL file.",
      "Streams the entries.",
      "Reports the number of entries and the head hash, or the first bad sequence number and why:",
      "HASH_MISMATCH (an entry was edited), SEQUENCE_GAP (deleted), SEQUENCE_OUT_OF_ORDER",
      "(reordered or duplicated), BAD_LINK (previous_log_hash does not match), HEAD_MISMATCH",
      "(--table only: the chain head disagrees with the last entry), MALFORMED_ENTRY, WRONG_CHAIN.",
      "With --anchors-bucket and/or --anchors-file, the chain must also match every anchor; a chain",
      "rewritten after anchoring is reported with the anchor that disagrees (exit 1)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the chain holds (and matches every anchor)",
      "1:the chain is broken, or an anchor disagrees with it",
      "2:usage or I/O error: --file or --anchors-file absent or not a regular file, an anchors file"
          + " over 64 MiB or a JSONL line over 1 MiB, an anchors file or bucket with no anchor"
          + " (nothing to check is never a pass)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn audit verify --table cdk-audit-log",
      "  cairn audit verify --file audit.jsonl --format json",
      "  cairn audit verify --table cdk-audit-log --anchors-bucket audit-log-anchors",
      "  cairn audit verify --file audit.jsonl --anchors-file anchors-from-mailbox.jsonl"
    })
public final class AuditVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--table",
        paramLabel = "T",
        description = "The audit log table (cdk-audit-log).")
    String table;

    @Option(
        names = "--file",
        paramLabel = "FILE.jsonl",
        description = "An export from `cairn audit export`.")
    Path file;
  }

  @Option(
      names = "--chain",
      paramLabel = "ID",
      defaultValue = AuditChain.DEFAULT_CHAIN_ID,
      description = "Chain id (--table). Default: ${DEFAULT-VALUE}.")
  String chain;

  @Option(
      names = "--anchors-bucket",
      paramLabel = "B",
      description =
          "Check the chain against every anchor object in B (audit-log-anchors/<chain>/).")
  String anchorsBucket;

  @Option(
      names = "--anchors-file",
      paramLabel = "F",
      description =
          "Check the chain against anchors exported from the audit-anchor-publish topic: JSON lines,"
              + " each an anchor message or an SNS notification whose Message is one.")
  Path anchorsFile;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Override
  public Integer call() {
    AuditVerification v;
    java.util.List<ObjectNode> anchors = AnchorSources.load(aws, anchorsBucket, anchorsFile, chain);
    java.util.Map<Long, String> anchored = new java.util.HashMap<>();
    java.util.Set<Long> wanted = new java.util.HashSet<>();
    // A malformed sequence is AnchorCheck's ANCHOR_MALFORMED; it names no entry to record.
    anchors.forEach(a -> AuditSequence.parse(a.path("sequence")).ifPresent(wanted::add));
    if (source.table != null) {
      try (DynamoDbClient dynamoDb = aws.clients().dynamoDb()) {
        DynamoDbAuditLog log = new DynamoDbAuditLog(dynamoDb, source.table, chain);
        v =
            AuditChainVerifier.verify(
                AnchorSources.recording(log.entries(), wanted, anchored), log.head());
      }
    } else {
      // Streamed, never read whole: no size limit, but a regular file (a FIFO would block) and
      // bounded lines (one 3 GiB line must not be slurped by readLine).
      CliIo.requireRegularFile(source.file, "audit file");
      try (BufferedReader r = Files.newBufferedReader(source.file, StandardCharsets.UTF_8)) {
        v = AuditChainVerifier.verify(AnchorSources.recording(new JsonLines(r), wanted, anchored));
      } catch (NoSuchFileException e) {
        throw new CliIo.UsageException("audit file " + source.file + " does not exist");
      } catch (IOException | UncheckedIOException e) {
        throw new CliIo.UsageException("cannot read " + source.file + ": " + e.getMessage(), e);
      }
    }
    AnchorCheck.Result anchorCheck =
        anchorsBucket == null && anchorsFile == null
            ? null
            : AnchorCheck.check(chain, anchored, v, anchors);
    var out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      ObjectNode json = v.toJson();
      if (anchorCheck != null) {
        json.set("anchors", anchorCheck.toJson());
      }
      out.println(Json.pretty(json));
    } else {
      if (v.valid()) {
        out.printf("VALID %d entries, head log_hash %s%n", v.entries(), v.headHash());
      } else {
        out.printf(
            "BROKEN at sequence %d: %s%n  %s%n", v.firstBadSequence(), v.reason(), v.detail());
      }
      if (anchorCheck != null) {
        AnchorSources.printText(out, anchorCheck);
      }
    }
    out.flush();
    return v.valid() && (anchorCheck == null || anchorCheck.valid())
        ? CairnCli.EXIT_OK
        : CairnCli.EXIT_FAILED;
  }

  /** The longest JSONL line read (an audit entry is a few KiB). */
  static final int MAX_LINE_CHARS = 1 << 20;

  /** One entry per non-blank line; a line that is not a JSON object becomes a malformed entry. */
  private static final class JsonLines implements Iterator<JsonNode> {
    private final BufferedReader reader;
    private final StringBuilder line = new StringBuilder();
    private long lineNumber;
    private String next;

    JsonLines(BufferedReader reader) {
      this.reader = reader;
      advance();
    }

    private void advance() {
      try {
        do {
          next = readLine();
        } while (next != null && next.isBlank());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** As {@link BufferedReader#readLine}, but refusing a line over {@link #MAX_LINE_CHARS}. */
    private String readLine() throws IOException {
      line.setLength(0);
      int c;
      while ((c = reader.read()) != -1) {
        if (c == '\n') {
          break;
        }
        if (line.length() == MAX_LINE_CHARS) {
          throw new CliIo.UsageException(
              "line "
                  + (lineNumber + 1)
                  + " is longer than the "
                  + CliIo.bytes(MAX_LINE_CHARS)
                  + " limit for an audit entry");
        }
        line.append((char) c);
      }
      if (c == -1 && line.length() == 0) {
        return null;
      }
      lineNumber++;
      int end = line.length();
      if (end > 0 && line.charAt(end - 1) == '\r') {
        line.setLength(end - 1);
      }
      return line.toString();
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public JsonNode next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      String line = next;
      advance();
      try {
        return Json.parse(line);
      } catch (IOException e) {
        ObjectNode bad = Json.object();
        bad.put("unparseable_line", "invalid JSON");
        return bad;
      }
    }
  }
}
