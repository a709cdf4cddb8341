package dev.cairn.cli.context;

import dev.cairn.core.context.ContextLayout;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The object names of one blessed context, after the spec: {@code {env}/{date}.context.json},
 * {@code {env}/{date}.context.sha256} and the signature {@code {env}/{date}.context.json.asc}
 * (OpenPGP) or {@code .sig} (KMS or PEM: base64 DER). {@code date} is {@code latest} for the
 * pointer.
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

  public static ContextKeys latest(String env) {
    return new ContextKeys(env, LATEST);
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
