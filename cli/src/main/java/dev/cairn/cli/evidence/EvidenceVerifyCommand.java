package dev.cairn.cli.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.aws.audit.DynamoDbAuditLog;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.evidence.EvidenceVerifier;
import dev.cairn.core.failure.EvidenceCheckFailure;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn evidence verify}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check the artifact's release evidence records against the audit chain and anchors.",
      "For each record, in this order:",
      "1. a ReleaseEvidenceRecorded entry names its key (EVIDENCE_NOT_RECORDED) with the SHA-256",
      "   of exactly the stored bytes (EVIDENCE_DIGEST_MISMATCH: one changed byte is refused);",
      "2. it is a release-evidence.v1 object (EVIDENCE_MALFORMED);",
      "3. every audit entry it cites is in the chain (EVIDENCE_AUDIT_ENTRY_MISSING) with that",
      "   log_hash (EVIDENCE_AUDIT_HASH_MISMATCH);",
      "4. the chain verifies (EVIDENCE_CHAIN_BROKEN);",
      "5. every anchor agrees with the chain and one covers the recording entry",
      "   (EVIDENCE_NOT_ANCHORED; the anchorer publishes every 10 minutes).",
      "No record at all is EVIDENCE_NOT_FOUND. MACs are not checked here: the anchors, published",
      "outside the account, vouch for the chain (cairn audit verify --mac-key checks MACs)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every record verifies",
      "1:a record is refused (its code is printed), or the artifact has none",
      "2:usage or I/O error, or the anchors bucket holds no anchor"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn evidence verify hello-service 0123456789abcdef0123456789abcdef01234567",
      "  cairn evidence verify hello-service 0123456789abcdef0123456789abcdef01234567 \\",
      "      --table cdk-audit-log --anchors-bucket audit-log-anchors --format json"
    })
public final class EvidenceVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Mixin EvidenceTarget target;

  @Option(
      names = "--table",
      paramLabel = "T",
      defaultValue = "cdk-audit-log",
      description = "The audit log table. Default: ${DEFAULT-VALUE}.")
  String table;

  @Option(
      names = "--chain",
      paramLabel = "ID",
      defaultValue = AuditChain.DEFAULT_CHAIN_ID,
      description = "Chain id. Default: ${DEFAULT-VALUE}.")
  String chain;

  @Option(
      names = "--anchors-bucket",
      paramLabel = "B",
      defaultValue = "audit-log-anchors",
      description = "The anchors bucket. Default: ${DEFAULT-VALUE}.")
  String anchorsBucket;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Override
  public Integer call() {
    List<EvidenceRecords.Stored> records;
    List<ObjectNode> entries = new ArrayList<>();
    AuditHead head;
    List<ObjectNode> anchors;
    try (S3Client s3 = aws.clients().s3();
        DynamoDbClient dynamoDb = aws.clients().dynamoDb()) {
      records = EvidenceRecords.load(s3, target.bucket, target.service, target.commit, null);
      DynamoDbAuditLog log = DynamoDbAuditLog.withoutMacCheck(dynamoDb, table, chain);
      log.entries().forEachRemaining(entries::add);
      head = log.head();
      anchors = new S3AnchorStore(s3, anchorsBucket, null).all(chain);
    }
    if (anchors.isEmpty()) {
      // Nothing to check the chain against is no evidence that it holds.
      throw new CliIo.UsageException(
          "--anchors-bucket " + anchorsBucket + " holds no anchor of chain " + chain);
    }
    List<EvidenceVerifier.Result> results = new ArrayList<>();
    for (EvidenceRecords.Stored r : records) {
      results.add(EvidenceVerifier.verify(r.key(), r.bytes(), entries, head, anchors));
    }
    boolean ok = !records.isEmpty() && results.stream().allMatch(EvidenceVerifier.Result::valid);
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      ObjectNode json = Json.object();
      json.put("service", target.service);
      json.put("commit_sha", target.commit);
      json.put("valid", ok);
      if (records.isEmpty()) {
        json.put("code", EvidenceCheckFailure.EVIDENCE_NOT_FOUND.name());
      }
      ArrayNode arr = json.putArray("records");
      results.forEach(r -> arr.add(r.toJson()));
      out.println(Json.pretty(json));
    } else if (records.isEmpty()) {
      out.printf(
          "%s no release evidence record for %s@%s in s3://%s%n",
          EvidenceCheckFailure.EVIDENCE_NOT_FOUND, target.service, target.commit, target.bucket);
    } else {
      for (EvidenceVerifier.Result r : results) {
        if (r.valid()) {
          out.printf(
              "VERIFIED %s (recorded at sequence %d, anchored through %d)%n",
              r.key(), r.recordedSequence(), r.anchoredThrough());
        } else {
          out.printf("REFUSED %s%n", r.key());
          r.problems().forEach(p -> out.printf("  %s: %s%n", p.code(), p.detail()));
        }
      }
    }
    out.flush();
    return ok ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
  }
}
