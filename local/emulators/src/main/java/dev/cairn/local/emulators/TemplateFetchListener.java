package dev.cairn.local.emulators;

/**
 * Told of each template {@link CloudFormationEmulator} fetches for a {@code TemplateURL}.
 * CloudFormation fetches that object with the credentials of whoever called {@code
 * CreateChangeSet}, so a sandbox records it as an {@code s3:GetObject} by that caller and lets its
 * IAM check decide whether the caller may read it.
 */
@FunctionalInterface
public interface TemplateFetchListener {

  /** Records nothing. */
  TemplateFetchListener NONE = (account, bucket, key) -> {};

  /**
   * CloudFormation in {@code account} fetched {@code s3://bucket/key} as the caller; called before
   * the object is read, so a fetch of a missing or forbidden object is reported too.
   */
  void fetched(String account, String bucket, String key);

  /**
   * As {@link #fetched(String, String, String)}, for a {@code TemplateURL} naming one object
   * version ({@code ?versionId=}, which S3 authorizes as {@code s3:GetObjectVersion}); {@code
   * versionId} is null for the current version.
   */
  default void fetched(String account, String bucket, String key, String versionId) {
    fetched(account, bucket, key);
  }
}
