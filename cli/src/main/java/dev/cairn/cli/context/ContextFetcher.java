package dev.cairn.cli.context;

import dev.cairn.cli.context.ContextRejectedException.Reason;
import dev.cairn.core.integrity.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fetches a blessed context and verifies it before anyone uses it, in this order: present, hash
 * file present and well formed, hash matches, signature present, signature valid under the pinned
 * key. Any failure is a {@link ContextRejectedException}; there is no switch that skips a check.
 */
public final class ContextFetcher {

  private final BlessedContextStore store;
  private final java.time.Clock clock;

  public ContextFetcher(BlessedContextStore store) {
    this(store, java.time.Clock.systemUTC());
  }

  public ContextFetcher(BlessedContextStore store, java.time.Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** A verified context. */
  public record Verified(ContextKeys keys, byte[] context, String sha256) {}

  public Verified fetch(ContextKeys keys, ContextTrust trust) {
    // 1. The context itself.
    byte[] context =
        store
            .get(keys.context())
            .orElseThrow(
                () -> new ContextRejectedException(Reason.MISSING_CONTEXT, "no " + keys.context()));
    // 2. The hash file, in sha256sum format, naming this context.
    byte[] hashFile =
        store
            .get(keys.hash())
            .orElseThrow(
                () -> new ContextRejectedException(Reason.MISSING_HASH, "no " + keys.hash()));
    String expected = parseHash(hashFile, keys);
    // 3. The hash matches.
    String actual = Sha256.hex(context);
    if (!actual.equals(expected)) {
      throw new ContextRejectedException(
          Reason.HASH_MISMATCH,
          keys.context() + " hashes to " + actual + " but " + keys.hash() + " says " + expected);
    }
    // 4. The signature the pinned key needs.
    String sigKey = keys.signature(trust.kind());
    byte[] sidecar =
        store
            .get(sigKey)
            .orElseThrow(
                () -> new ContextRejectedException(Reason.MISSING_SIGNATURE, "no " + sigKey));
    byte[] signature = SignatureArmor.decode(trust.kind(), sidecar);
    // 5. It verifies over the exact bytes.
    if (signature == null || !trust.verifies(context, signature, clock.instant())) {
      throw new ContextRejectedException(
          Reason.SIGNATURE_INVALID, sigKey + " does not verify under the trusted key");
    }
    return new Verified(keys, context, actual);
  }

  /** Also requires the context to hash to {@code expectedSha256} (e.g. a manifest's value). */
  public Verified fetch(ContextKeys keys, ContextTrust trust, Optional<String> expectedSha256) {
    Verified v = fetch(keys, trust);
    if (expectedSha256.isPresent() && !expectedSha256.get().equals(v.sha256())) {
      throw new ContextRejectedException(
          Reason.UNEXPECTED_HASH, "expected " + expectedSha256.get() + ", got " + v.sha256());
    }
    return v;
  }

  private static String parseHash(byte[] hashFile, ContextKeys keys) {
    String text = new String(hashFile, StandardCharsets.US_ASCII).strip();
    String[] parts = text.split("\\s+");
    if (parts.length != 2
        || !Sha256.isHex64(parts[0])
        || !parts[1].equals(keys.contextFileName())) {
      throw new ContextRejectedException(
          Reason.MALFORMED_HASH,
          keys.hash() + " must read '<sha256>  " + keys.contextFileName() + "'");
    }
    return parts[0];
  }
}
