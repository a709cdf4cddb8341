package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditSequence;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "rewritten after anchoring is reported with the anchor that disagrees (exit 1).",
      "With --table and --mac-key, every entry's and the head's item_mac is checked with",
      "kms:VerifyMac too (AUDIT_ENTRY_UNAUTHENTICATED, exit 1); the report always says whether",
      "MACs were checked. An export (--file) carries no MACs: check it against the anchors."
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

  @Mixin dev.cairn.cli.publish.RecordMacOptions mac;

  @ArgGroup(exclusive = true, multiplicity = "1")
  AuditSource source;

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
    AuditSource.Read read =
        source.verifyChain(
            aws, chain, mac, wanted::contains, AnchorSources.recorder(wanted, anchored));
    v = read.verification();
    boolean macsChecked = read.macsChecked();
    dev.cairn.core.ledger.RecordUnauthenticatedException unauthenticated = read.unauthenticated();
    var out = spec.commandLine().getOut();
    if (unauthenticated != null) {
      if (format == OutputFormat.json) {
        ObjectNode json = Json.object();
        json.put("valid", false);
        json.put("reason", unauthenticated.failure().name());
        json.put("item", unauthenticated.itemKey());
        json.put("detail", unauthenticated.reason().name());
        json.set("macs", macsJson(true));
        out.println(Json.pretty(json));
      } else {
        out.printf(
            "UNAUTHENTICATED %s: %s (%s)%n  %s%n",
            unauthenticated.itemKey(),
            unauthenticated.failure(),
            unauthenticated.reason(),
            unauthenticated.failure().summary());
      }
      out.flush();
      return CairnCli.EXIT_FAILED;
    }
    AnchorCheck.Result anchorCheck =
        anchorsBucket == null && anchorsFile == null
            ? null
            : AnchorCheck.check(chain, anchored, v, anchors);
    if (format == OutputFormat.json) {
      ObjectNode json = v.toJson();
      json.set("macs", macsJson(macsChecked));
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
      out.println(
          macsChecked
              ? "MACs: checked (every entry and the head) with " + mac.key()
              : "MACs: not checked ("
                  + (source.table == null ? "an export carries none" : "no --mac-key")
                  + "); chain links only");
      if (anchorCheck != null) {
        AnchorSources.printText(out, anchorCheck);
      }
    }
    out.flush();
    return v.valid() && (anchorCheck == null || anchorCheck.valid())
        ? CairnCli.EXIT_OK
        : CairnCli.EXIT_FAILED;
  }

  private ObjectNode macsJson(boolean checked) {
    ObjectNode m = Json.object();
    m.put("checked", checked);
    if (checked) {
      m.put("key", mac.key());
    }
    return m;
  }
}
