package dev.cairn.core.context;

import dev.cairn.core.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where blessed contexts live (spec "Context Generation Process"): in the {@code cdk-contexts}
 * bucket, per environment, {@code {env}/{date}.context.json} with {@code {date}.context.sha256} and
 * its signature ({@code .asc} OpenPGP, {@code .sig} KMS/PEM) beside it, a {@code latest} copy of
 * each ({@code {env}/latest.context.json}, {@code {env}/latest.context.sha256}) and {@code
 * {env}/latest.bless.json}, which names the dated object and its version. The {@code .sha256} file
 * is {@code sha256sum} output: {@code "<hex> <file name>\n"}.
 */
public final class ContextLayout {

  private ContextLayout() {}

  public static String contextKey(String environment, String date) {
    return environment + "/" + date + ".context.json";
  }

  public static String hashKey(String environment, String date) {
    return environment + "/" + date + ".context.sha256";
  }

  /** {@code .asc} for OpenPGP, {@code .sig} otherwise. */
  public static String signatureKey(String environment, String date, boolean openPgp) {
    return contextKey(environment, date) + (openPgp ? ".asc" : ".sig");
  }

  public static String latestContextKey(String environment) {
    return contextKey(environment, "latest");
  }

  public static String latestHashKey(String environment) {
    return hashKey(environment, "latest");
  }

  /**
   * The environment's current bless: {@code {"object_key", "version_id", "cdk_context_hash"}} of
   * the dated object the {@code latest} copies were made from. CI reads it to learn which bless it
   * builds with; nothing trusts it, since the verifier checks the bless the manifest names.
   */
  public static String latestBlessKey(String environment) {
    return environment + "/latest.bless.json";
  }

  /** The {@code sha256sum}-format line for a context file. */
  public static String hashFile(String hex, String fileName) {
    return hex + "  " + fileName + "\n";
  }

  /** The hex hash from a {@code .sha256} file, or empty when it is not one. */
  public static Optional<String> parseHashFile(byte[] content) {
    String text = new String(content, StandardCharsets.US_ASCII).trim();
    String first = text.split("\\s+", 2)[0];
    return Sha256.isHex64(first) ? Optional.of(first) : Optional.empty();
  }
}
