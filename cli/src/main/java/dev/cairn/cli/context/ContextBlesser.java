package dev.cairn.cli.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.signature.ManifestSigner;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Blesses a context: generate twice, require identical hashes, sign, upload the dated files
 * (write-once), then move the {@code latest} pointer.
 */
public final class ContextBlesser {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final BlessedContextStore store;
  private final Clock clock;

  public ContextBlesser(BlessedContextStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** What was blessed and where. */
  public record Blessed(
      ContextKeys keys, String sha256, String signingIdentity, String signatureKey) {}

  public Blessed bless(String env, ContextSource source, ManifestSigner signer) {
    // 1. Determinism: two independent generations must hash the same.
    byte[] first = generate(source);
    byte[] second = generate(source);
    String hash = Sha256.hex(first);
    String secondHash = Sha256.hex(second);
    if (!hash.equals(secondHash)) {
      throw new ContextBlessException(
          ContextBlessException.Reason.NON_DETERMINISTIC,
          "two generations differ (" + hash + " vs " + secondHash + "); refusing to bless");
    }
    // 2. It must be a context: a JSON object.
    requireJsonObject(first);
    // 3. Hash and sign the exact bytes.
    ContextKeys.SignatureKind kind =
        signer.algorithm() == SignatureAlgorithm.OPENPGP
            ? ContextKeys.SignatureKind.OPENPGP
            : ContextKeys.SignatureKind.RAW;
    byte[] signature = SignatureArmor.encode(kind, signer.sign(first));
    // 4. Dated, immutable files.
    ContextKeys dated = new ContextKeys(env, DATE.format(clock.instant()));
    store.putNew(dated.hash(), hashLine(hash, dated));
    store.putNew(dated.signature(kind), signature);
    store.putNew(dated.context(), first);
    // 5. The latest pointer (copies, so `aws s3 cp .../latest.context.json` works as the spec
    // says).
    ContextKeys latest = ContextKeys.latest(env);
    store.put(latest.hash(), hashLine(hash, latest));
    store.put(latest.signature(kind), signature);
    store.put(latest.context(), first);
    return new Blessed(dated, hash, signer.signingIdentity(), dated.signature(kind));
  }

  /** {@code sha256sum} format, so {@code sha256sum -c} works on the downloaded pair. */
  static byte[] hashLine(String hash, ContextKeys keys) {
    return ContextLayout.hashFile(hash, keys.contextFileName()).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] generate(ContextSource source) {
    try {
      byte[] bytes = source.generate();
      if (bytes == null || bytes.length == 0) {
        throw new ContextBlessException(
            ContextBlessException.Reason.GENERATION_FAILED, "the generator produced no context");
      }
      return bytes;
    } catch (IOException e) {
      throw new ContextBlessException(
          ContextBlessException.Reason.GENERATION_FAILED, e.getMessage());
    }
  }

  private static void requireJsonObject(byte[] bytes) {
    try {
      JsonNode node = new ObjectMapper().readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ContextBlessException(
            ContextBlessException.Reason.NOT_A_CONTEXT, "the context is not a JSON object");
      }
    } catch (IOException e) {
      throw new ContextBlessException(
          ContextBlessException.Reason.NOT_A_CONTEXT, "the context is not JSON: " + e.getMessage());
    }
  }
}
