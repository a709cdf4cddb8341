package dev.cairn.core.context;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The object names of one blessed context, after the spec: {@code {env}/{date}.context.json},
 * {@code {env}/{date}.context.sha256} and the signature {@code {env}/{date}.context.json.asc}
 * (OpenPGP) or {@code .sig} (KMS or PEM: base64 DER). {@code date} is {@code latest} for the
 * pointer. A revoked bless has {@code {env}/{date}.context.json.revoked} and its signature beside
 * it.
 */
public record ContextKeys(String env, String name) {

  public static final String LATEST = "latest";
  private static final Pattern ENV = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final Pattern NAME = Pattern.compile("latest|[0-9]{8}T[0-9]{6}Z");

  public ContextKeys {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(name, "name");
    if (!ENV.matcher(env).matches()) {
      throw new IllegalArgumentException("invalid environment name: " + env);
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid context date: " + name + " (yyyyMMddTHHmmssZ)");
    }
  }

  private static final Pattern CONTEXT_KEY =
      Pattern.compile("([a-z][a-z0-9-]{0,31})/(latest|[0-9]{8}T[0-9]{6}Z)\\.context\\.json");

  public static ContextKeys latest(String env) {
    return new ContextKeys(env, LATEST);
  }

  /** The keys of the context object {@code objectKey}, or empty when it names no context. */
  public static Optional<ContextKeys> ofContextKey(String objectKey) {
    var m = CONTEXT_KEY.matcher(objectKey == null ? "" : objectKey);
    return m.matches() ? Optional.of(new ContextKeys(m.group(1), m.group(2))) : Optional.empty();
  }

  /** True for the {@code latest} copies, which each bless overwrites. */
  public boolean isLatest() {
    return LATEST.equals(name);
  }

  /** File name of the context, as written in the hash file. */
  public String contextFileName() {
    return name + ".context.json";
  }

  public String context() {
    return ContextLayout.contextKey(env, name);
  }

  public String hash() {
    return ContextLayout.hashKey(env, name);
  }

  public String signature(SignatureKind kind) {
    return ContextLayout.signatureKey(env, name, kind == SignatureKind.OPENPGP);
  }

  /** The signed revocation of this bless ({@link ContextRevocation}); absent unless revoked. */
  public String revocation() {
    return context() + ".revoked";
  }

  public String revocationSignature(SignatureKind kind) {
    return revocation() + kind.extension();
  }

  /** The sidecar kind a signer of {@code algorithm} writes. */
  public static SignatureKind kindOf(dev.cairn.core.signature.SignatureAlgorithm algorithm) {
    return algorithm == dev.cairn.core.signature.SignatureAlgorithm.OPENPGP
        ? SignatureKind.OPENPGP
        : SignatureKind.RAW;
  }

  /** How a signature sidecar is encoded. */
  public enum SignatureKind {
    /** ASCII-armoured OpenPGP detached signature. */
    OPENPGP(".asc"),
    /** Base64 of a DER ECDSA or RSA-PSS signature (KMS or a PEM key). */
    RAW(".sig");

    private final String extension;

    SignatureKind(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }
  }
}
