package dev.cairn.core.assembly;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The S3 object a stack's template was published to by {@code cdk-assets}: the stack artifact's
 * {@code stackTemplateAssetObjectUrl}, in the target account's bootstrap bucket. CloudFormation
 * reads a {@code TemplateURL} with the caller's credentials, so the deploy role reads its own
 * account's object and nothing crosses accounts.
 *
 * @param region the stack's region; the bucket is in it
 * @param bucket the bucket, placeholders resolved
 * @param key the object key, placeholders resolved
 */
public record TemplateObject(String region, String bucket, String key) {

  /** S3 bucket naming rules (general purpose buckets). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  public TemplateObject {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("not a region: " + region);
    }
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("not a bucket name: " + bucket);
    }
    if (key == null || key.isEmpty() || key.length() > 1024 || key.contains("${")) {
      throw new IllegalArgumentException("not an object key: " + key);
    }
  }

  /**
   * The object an {@code s3://bucket/key} asset URL names, with {@code ${AWS::AccountId}}, {@code
   * ${AWS::Region}} and {@code ${AWS::Partition}} resolved against the stack's environment (as
   * {@code cdk-assets} resolves them when it publishes).
   *
   * @throws IllegalArgumentException if the URL is not of that form or a placeholder is left
   */
  public static TemplateObject fromAssetObjectUrl(String s3Url, String account, String region) {
    if (s3Url == null || !s3Url.startsWith("s3://")) {
      throw new IllegalArgumentException("not an s3:// URL: " + s3Url);
    }
    String resolved = resolve(s3Url.substring("s3://".length()), account, region);
    int slash = resolved.indexOf('/');
    if (slash <= 0 || slash == resolved.length() - 1) {
      throw new IllegalArgumentException("not an s3://bucket/key URL: " + s3Url);
    }
    return new TemplateObject(region, resolved.substring(0, slash), resolved.substring(slash + 1));
  }

  /** Resolves the placeholders {@code cdk-assets} resolves in asset locations. */
  public static String resolve(String s, String account, String region) {
    return s.replace("${AWS::AccountId}", account)
        .replace("${AWS::Region}", region)
        .replace("${AWS::Partition}", partition(region));
  }

  /** The partition of a region: aws, aws-us-gov or aws-cn. */
  public static String partition(String region) {
    if (region.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return "aws";
  }

  /** {@code s3://bucket/key}: the form {@code cdk-assets} and the asset manifests use. */
  public String s3Url() {
    return "s3://" + bucket + "/" + key;
  }

  /**
   * The {@code TemplateURL} for CreateChangeSet: the regional path-style form {@code
   * https://s3.<region>.amazonaws.com/<bucket>/<key>}. The CloudFormation API reference,
   * CreateChangeSet {@code TemplateURL}: the URL "must point to a template (max size: 1 MB) that's
   * located in an Amazon S3 bucket or a Systems Manager document ... The location for an Amazon S3
   * bucket must start with https://". Path-style works for every bucket name, dotted ones included,
   * where a virtual-hosted name would break TLS. The key is percent-encoded, {@code /} kept.
   */
  public String templateUrl() {
    String domain = partition(region).equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
    return "https://s3." + region + "." + domain + "/" + bucket + "/" + encodePath(key);
  }

  /**
   * The {@code TemplateURL} of one version of the object: {@link #templateUrl()} with S3's {@code
   * versionId} query parameter, so CloudFormation fetches exactly the bytes that were checked even
   * if the key is overwritten afterwards (the bootstrap bucket is versioned; {@code cdk-assets} and
   * anyone holding its publishing role can write the key).
   */
  public String templateUrl(String versionId) {
    if (versionId == null || versionId.isBlank()) {
      throw new IllegalArgumentException("no version id to pin " + s3Url() + " to");
    }
    return templateUrl() + "?versionId=" + encodeQueryValue(versionId);
  }

  private static String encodeQueryValue(String value) {
    return encodePath(value).replace("/", "%2F");
  }

  /** RFC 3986 percent-encoding of everything but unreserved characters and {@code /}. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
