package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.anchor.S3AnchorStore;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Anchors for {@code cairn audit verify --anchors-bucket|--anchors-file} (and the dashboard, which
 * checks the chain the same way).
 */
public final class AnchorSources {

  private AnchorSources() {}

  public static List<ObjectNode> load(AwsOptions aws, String bucket, Path file, String chain) {
    List<ObjectNode> anchors = new ArrayList<>();
    if (bucket != null) {
      try (S3Client s3 = aws.clients().s3()) {
        List<ObjectNode> stored = new S3AnchorStore(s3, bucket, null).all(chain);
        if (stored.isEmpty()) {
          // Nothing to check is no evidence the chain holds: never a vacuous pass.
          throw new CliIo.UsageException(
              "--anchors-bucket " + bucket + " holds no anchor of chain " + chain);
        }
        anchors.addAll(stored);
      }
    }
    if (file != null) {
      List<String> lines = CliIo.readString(file, CliIo.Input.ANCHORS_FILE).lines().toList();
      int before = anchors.size();
      int n = 0;
      for (String line : lines) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = Json.parse(line);
          // An SNS notification (or an SQS/e-mail export of one) carries the anchor in Message.
          if (node.path("Message").isTextual()) {
            node = Json.parse(node.path("Message").asText());
          }
          if (!(node instanceof ObjectNode o)) {
            throw new IOException("not a JSON object");
          }
          anchors.add(o);
        } catch (IOException e) {
          throw new CliIo.UsageException(file + " line " + n + " is not an anchor message");
        }
      }
      if (anchors.size() == before) {
        // An empty (or blank) export would "match every anchor": refused, never a pass.
        throw new CliIo.UsageException(
            "anchors file " + file + " holds no anchor; it would match any chain");
      }
    }
    return anchors;
  }

  /** Records the {@code log_hash} of each entry whose sequence an anchor names. */
  public static java.util.function.Consumer<dev.cairn.core.audit.EntryFacts> recorder(
      Set<Long> wanted, Map<Long, String> out) {
    return f -> {
      long seq = f.sequence().orElse(-1);
      String hash = f.textualLogHash();
      if (wanted.contains(seq) && hash != null) {
        out.putIfAbsent(seq, hash);
      }
    };
  }

  static void printText(PrintWriter out, AnchorCheck.Result r) {
    if (r.valid()) {
      out.printf("ANCHORS %d checked, every one matches the chain%n", r.anchorsChecked());
      return;
    }
    out.printf(
        "ANCHORS %d checked, %d disagree with the chain%n",
        r.anchorsChecked(), r.disagreements().size());
    for (AnchorCheck.Disagreement d : r.disagreements()) {
      out.printf(
          "  anchor %s (sequence %d): %s%s%n    %s%n",
          d.anchorKey(),
          d.anchorSequence(),
          d.reason(),
          d.entrySequence() == null ? "" : " at sequence " + d.entrySequence(),
          d.detail());
    }
  }
}
