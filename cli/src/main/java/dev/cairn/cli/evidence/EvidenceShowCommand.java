package dev.cairn.cli.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn evidence show}. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print the artifact's release evidence records.",
      "One per environment and execution: the commit and its signature verification, the build, the verified manifest digest and signer,",
      "the verification report, the deploy (stacks, change sets, template digests), the tests,",
      "the bake windows, approvals and overrides, the audit entries by sequence and hash, and",
      "where it stopped: gate, code and blocker class. Text shows the same content as json."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:printed",
      "1:the artifact has no release evidence record (EVIDENCE_NOT_FOUND)",
      "2:usage or I/O error"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn evidence show hello-service 0123456789abcdef0123456789abcdef01234567",
      "  cairn evidence show hello-service 0123456789abcdef0123456789abcdef01234567 --format json"
    })
public final class EvidenceShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Mixin EvidenceTarget target;

  @Option(
      names = "--environment",
      paramLabel = "E",
      description = "Only the records of environment E.")
  String environment;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Override
  public Integer call() {
    List<EvidenceRecords.Stored> records;
    try (S3Client s3 = aws.clients().s3()) {
      records = EvidenceRecords.load(s3, target.bucket, target.service, target.commit, environment);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      ObjectNode json = Json.object();
      json.put("service", target.service);
      json.put("commit_sha", target.commit);
      ArrayNode arr = json.putArray("records");
      for (EvidenceRecords.Stored r : records) {
        ObjectNode o = arr.addObject();
        o.put("key", r.key());
        o.put("sha256", dev.cairn.core.integrity.Sha256.hex(r.bytes()));
        o.set("record", r.json());
      }
      if (records.isEmpty()) {
        json.put("code", "EVIDENCE_NOT_FOUND");
      }
      out.println(Json.pretty(json));
    } else if (records.isEmpty()) {
      out.printf(
          "EVIDENCE_NOT_FOUND no release evidence record for %s@%s in s3://%s%n",
          target.service, target.commit, target.bucket);
    } else {
      for (EvidenceRecords.Stored r : records) {
        printText(out, r);
      }
    }
    out.flush();
    return records.isEmpty() ? CairnCli.EXIT_FAILED : CairnCli.EXIT_OK;
  }

  /** Every field of the record, one per line, in the record's order. */
  static void printText(PrintWriter out, EvidenceRecords.Stored r) {
    out.printf("s3 key: %s%n", r.key());
    out.printf("sha256: %s%n", dev.cairn.core.integrity.Sha256.hex(r.bytes()));
    if (r.json() == null) {
      out.println("  (not JSON)");
      return;
    }
    JsonNode j = r.json();
    out.printf(
        "%s: %s (execution %s)%n",
        j.path("environment").asText(),
        j.path("outcome").asText(),
        j.path("execution_id").asText());
    JsonNode f = j.path("failure");
    out.println(
        f.isObject()
            ? "stopped at: "
                + f.path("gate").asText()
                + " "
                + f.path("code").asText()
                + " (blocker class "
                + f.path("blocker_class").asText()
                + ")"
            : "stopped at: nowhere (every gate passed)");
    print(out, "", j);
    out.println();
  }

  private static void print(PrintWriter out, String path, JsonNode node) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.printf("%s: {}%n", path);
      }
      node.fields()
          .forEachRemaining(
              e -> print(out, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.printf("%s: []%n", path);
      }
      for (int i = 0; i < node.size(); i++) {
        print(out, path + "[" + i + "]", node.get(i));
      }
    } else {
      out.printf("%s: %s%n", path, node.isNull() ? "null" : node.asText());
    }
  }
}
