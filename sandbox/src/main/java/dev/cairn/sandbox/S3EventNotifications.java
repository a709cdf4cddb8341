package dev.cairn.sandbox;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What S3 does for a bucket with EventBridge notifications on: after a successful {@code
 * PutObject}, {@code CopyObject} or {@code CompleteMultipartUpload}, an {@code Object Created}
 * event. S3Proxy raises none, so this interceptor, on every sandbox S3 client, does.
 */
final class S3EventNotifications implements ExecutionInterceptor {

  private final BiConsumer<String, String> objectCreated;
  private final Set<String> buckets = new HashSet<>();

  S3EventNotifications(BiConsumer<String, String> objectCreated) {
    this.objectCreated = objectCreated;
  }

  /** The bucket's {@code NotificationConfiguration.EventBridgeConfiguration} is enabled. */
  synchronized void enable(String bucket) {
    buckets.add(bucket);
  }

  /** Whether {@code bucket} raises {@code Object Created} events. */
  synchronized boolean enabled(String bucket) {
    return buckets.contains(bucket);
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if (!context.httpResponse().isSuccessful()) {
      return;
    }
    SdkRequest r = context.request();
    String bucket = null;
    String key = null;
    if (r instanceof PutObjectRequest p) {
      bucket = p.bucket();
      key = p.key();
    } else if (r instanceof CopyObjectRequest c) {
      bucket = c.destinationBucket();
      key = c.destinationKey();
    } else if (r instanceof CompleteMultipartUploadRequest m) {
      bucket = m.bucket();
      key = m.key();
    }
    boolean notify;
    synchronized (this) {
      notify = bucket != null && buckets.contains(bucket);
    }
    if (notify) {
      objectCreated.accept(bucket, key);
    }
  }
}
