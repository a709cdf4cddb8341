package dev.cairn.sandbox.iam;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The account of each S3 bucket the emulated stacks created: a bucket ARN names no account, and IAM
 * decides a call on a bucket with its owner's policies, so the IAM check must know whose bucket an
 * application's {@code AWS::S3::Bucket} is, as it knows the control plane's.
 */
public final class BucketAccountRegistry {

  private final Map<String, String> accounts = new ConcurrentHashMap<>();

  /** The buckets known so far, by name. */
  public Map<String, String> accounts() {
    return Map.copyOf(accounts);
  }

  /** Learns from one resource operation: a bucket created in {@code account}. */
  public void record(String resourceType, String operation, String bucket, String account) {
    if (resourceType.equals("AWS::S3::Bucket") && operation.equals("CREATE") && bucket != null) {
      accounts.put(bucket, account);
    }
  }
}
