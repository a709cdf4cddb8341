package dev.cairn.cli.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.evidence.ReleaseEvidence;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The release evidence records of one artifact, as stored (bytes and parsed). */
final class EvidenceRecords {

  /** At most this many bytes are read from one record. */
  static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  /** One stored record; {@code json} is null when the bytes are not JSON. */
  record Stored(String key, byte[] bytes, JsonNode json) {
    String environment() {
      return json == null ? "?" : json.path("environment").asText("?");
    }
  }

  private EvidenceRecords() {}

  /** Every record of the artifact (optionally of one environment), in key order. */
  static List<Stored> load(
      S3Client s3, String bucket, String service, String commit, String environment) {
    String prefix =
        ArtifactLayout.prefix(service, commit)
            + ArtifactLayout.EVIDENCE_DIR
            + "/"
            + ReleaseEvidence.FILE_PREFIX
            + (environment == null ? "" : environment + "-");
    List<Stored> out = new ArrayList<>();
    for (S3Object o :
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()) {
      if (o.size() != null && o.size() > MAX_RECORD_BYTES) {
        throw new CliIo.UsageException(
            "s3://" + bucket + "/" + o.key() + " is larger than " + MAX_RECORD_BYTES + " bytes");
      }
      byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray();
      JsonNode json;
      try {
        json = Json.parse(bytes);
      } catch (IOException e) {
        json = null;
      }
      if (environment == null
          || json == null
          || environment.equals(json.path("environment").asText())) {
        out.add(new Stored(o.key(), bytes, json));
      }
    }
    return out;
  }
}
