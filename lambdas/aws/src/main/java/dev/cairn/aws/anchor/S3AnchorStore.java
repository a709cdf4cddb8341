package dev.cairn.aws.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.anchor.port.AnchorStore;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Anchor objects in the anchors bucket (Object Lock in the CDK app), written with {@code
 * If-None-Match: *}. Keys are zero-padded sequence numbers, so S3's lexical listing is sequence
 * order and the last key is the latest anchor.
 */
public final class S3AnchorStore implements AnchorStore {

  private final S3Client s3;
  private final String bucket;
  private final String expectedBucketOwner;

  /**
   * @param expectedBucketOwner the bucket owner's account id, or null (local S3)
   */
  public S3AnchorStore(S3Client s3, String bucket, String expectedBucketOwner) {
    this.s3 = s3;
    this.bucket = bucket;
    this.expectedBucketOwner = expectedBucketOwner;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public Optional<ObjectNode> latest(String chainId) {
    List<String> keys = keys(chainId);
    return keys.isEmpty() ? Optional.empty() : get(keys.get(keys.size() - 1));
  }

  @Override
  public List<ObjectNode> all(String chainId) {
    List<ObjectNode> out = new ArrayList<>();
    for (String k : keys(chainId)) {
      get(k).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public boolean putIfAbsent(String key, ObjectNode anchor) {
    byte[] body = (Json.pretty(anchor) + "\n").getBytes(StandardCharsets.UTF_8);
    String checksum =
        Base64.getEncoder()
            .encodeToString(
                dev.cairn.core.integrity.Sha256.fromHex(dev.cairn.core.integrity.Sha256.hex(body)));
    try {
      TransientErrors.translate(
          () ->
              s3.putObject(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .ifNoneMatch("*")
                          .contentType("application/json")
                          .checksumSHA256(checksum)
                          .expectedBucketOwner(expectedBucketOwner),
                  RequestBody.fromBytes(body)));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<ObjectNode> get(String key) {
    try {
      byte[] bytes =
          TransientErrors.translate(
                  () ->
                      s3.getObjectAsBytes(
                          r -> r.bucket(bucket).key(key).expectedBucketOwner(expectedBucketOwner)))
              .asByteArray();
      JsonNode n = Json.parse(bytes);
      if (!(n instanceof ObjectNode o)) {
        throw new IllegalStateException("s3://" + bucket + "/" + key + " is not a JSON object");
      }
      return Optional.of(o);
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("s3://" + bucket + "/" + key + " is not JSON", e);
    }
  }

  private List<String> keys(String chainId) {
    List<String> keys = new ArrayList<>();
    String prefix = Anchors.prefix(chainId);
    for (var page :
        s3.listObjectsV2Paginator(
            r -> r.bucket(bucket).prefix(prefix).expectedBucketOwner(expectedBucketOwner))) {
      for (S3Object o : page.contents()) {
        if (o.key().endsWith(".json")) {
          keys.add(o.key());
        }
      }
    }
    keys.sort(String::compareTo);
    return keys;
  }
}
