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
 */
final class CandidateBucketWatcher {

  private final S3Client s3;
  private final String bucket;
  private final Set<String> seen = new HashSet<>();

  CandidateBucketWatcher(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  String bucket() {
    return bucket;
  }

  /** The keys of object versions created since the last call. */
  List<String> newObjects() {
    List<ObjectVersion> fresh = new ArrayList<>();
    for (ObjectVersion v : s3.listObjectVersionsPaginator(r -> r.bucket(bucket)).versions()) {
      if (seen.add(v.key() + "\u0000" + v.versionId())) {
        fresh.add(v);
      }
    }
    fresh.sort(java.util.Comparator.comparing(ObjectVersion::lastModified));
    return fresh.stream().map(ObjectVersion::key).toList();
  }
}
