package dev.cairn.sandbox.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * S3's side of EventBridge notifications for a bucket written from outside the world (CI's {@code
 * cairn publish}): S3Proxy emits none, so each new object version found by {@code
 * ListObjectVersions} is reported once, oldest first, as S3 would raise {@code Object Created}.
 *
 * <p>S3 delivers to EventBridge asynchronously, typically seconds after the write; {@code cairn
 * publish} invokes the registrar right after its upload. A version is reported only once it has
 * been seen for {@code deliveryDelay} (real time), so the order of the two is AWS's usual one.
 */
final class CandidateBucketWatcher {

  private final S3Client s3;
  private final String bucket;
  private final java.time.Duration deliveryDelay;
  private final Set<String> reported = new HashSet<>();
  private final java.util.Map<String, Long> firstSeen = new java.util.HashMap<>();

  CandidateBucketWatcher(S3Client s3, String bucket, java.time.Duration deliveryDelay) {
    this.s3 = s3;
    this.bucket = bucket;
    this.deliveryDelay = deliveryDelay;
  }

  String bucket() {
    return bucket;
  }

  /** The keys of object versions created since the last call (and due for delivery). */
  List<String> newObjects() {
    long now = System.nanoTime();
    List<ObjectVersion> fresh = new ArrayList<>();
    for (ObjectVersion v : s3.listObjectVersionsPaginator(r -> r.bucket(bucket)).versions()) {
      // A `sandbox run --reuse` process drives its own services' pipelines, in its own emulated
      // accounts: two control planes on one artifact would race for its lease.
      if (v.key().startsWith(dev.cairn.sandbox.Reuse.SERVICE_PREFIX)) {
        continue;
      }
      String id = v.key() + "\u0000" + v.versionId();
      long seen = firstSeen.computeIfAbsent(id, k -> now);
      if (now - seen >= deliveryDelay.toNanos() && reported.add(id)) {
        fresh.add(v);
      }
    }
    fresh.sort(java.util.Comparator.comparing(ObjectVersion::lastModified));
    return fresh.stream().map(ObjectVersion::key).toList();
  }
}
