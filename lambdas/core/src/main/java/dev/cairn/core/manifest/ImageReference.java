package dev.cairn.core.manifest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference as an asset's {@code ecrUri} records it: {@code
 * <registry>/<repository>:<tag>@sha256:<hex>}, the form {@code docker push} prints and ECR
 * resolves. The tag says where CloudFormation will pull from ({@code Code.ImageUri} and task
 * definitions name {@code repository:tag}); the digest, the SHA-256 of the image manifest's bytes,
 * says what CI pushed there. Only the digest is evidence: a tag can be pointed at other bytes.
 *
 * @param registry the registry host, e.g. {@code 111111111111.dkr.ecr.eu-west-1.amazonaws.com}
 * @param digest {@code sha256:<64 lower-case hex>}, or null when the reference is not pinned
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  private static final Pattern FORM =
      Pattern.compile(
          "^([^/\\s]+)/([a-z0-9][a-z0-9._/-]*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
              + "(?:@(sha256:[0-9a-f]{64}))?$");

  /** The reference {@code uri} spells, or empty when it is not of the form above. */
  public static Optional<ImageReference> parse(String uri) {
    Matcher m = FORM.matcher(uri);
    if (!m.matches() || (m.group(3) == null && m.group(4) == null)) {
      return Optional.empty();
    }
    return Optional.of(new ImageReference(m.group(1), m.group(2), m.group(3), m.group(4)));
  }

  /** {@code repository:tag}, as an asset manifest's destination names it. */
  public String location() {
    return repository + ":" + (tag == null ? "" : tag);
  }

  public boolean pinned() {
    return digest != null;
  }

  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag == null ? "" : ":" + tag)
        + (digest == null ? "" : "@" + digest);
  }
}
