package dev.cairn.cli.context;

import dev.cairn.cli.context.ContextRejectedException.Reason;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.context.ContextKeys;
import dev.cairn.core.context.ContextLayout;
import dev.cairn.core.context.SignatureArmor;
import dev.cairn.core.context.port.BlessedContextStore;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
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

  /**
   * A verified context; {@code bless} is the dated object and version it was read at (null for a
   * {@code latest} copy read without one), what the manifest records.
   */
  public record Verified(
      ContextKeys keys, byte[] context, String sha256, ContextBlessReference bless) {}

  /**
   * The environment's current bless: {@code {env}/latest.bless.json} names the dated object and its
   * version, which is then read at exactly that version and verified like any other bless.
   */
  public Verified fetchCurrent(String env, ContextTrust trust) {
    String pointerKey = ContextLayout.latestBlessKey(env);
    byte[] pointer =
        store
            .get(pointerKey)
            .orElseThrow(
                () ->
                    new ContextRejectedException(
                        Reason.MISSING_CONTEXT,
                        "no " + pointerKey + ": the environment has no bless"));
    ContextBlessReference bless;
    try {
      bless =
          ContextBlessReference.fromJson(Json.parse(pointer))
              .orElseThrow(() -> new java.io.IOException("no object_key and version_id"));
    } catch (java.io.IOException e) {
      throw new ContextRejectedException(
          Reason.MALFORMED_POINTER, pointerKey + " does not name a bless: " + e.getMessage());
    }
    return fetch(bless, trust);
  }

  /** The bless {@code bless}: its context at exactly that version, checked as {@link #fetch}. */
  public Verified fetch(ContextBlessReference bless, ContextTrust trust) {
    ContextKeys keys = bless.keys();
    if (keys.isLatest()) {
      throw new ContextRejectedException(
          Reason.MISSING_CONTEXT, "latest is a copy; name the dated bless");
    }
    byte[] context =
        store
            .get(keys.context(), bless.versionId())
            .orElseThrow(() -> new ContextRejectedException(Reason.MISSING_CONTEXT, "no " + bless));
    return verify(keys, context, trust, bless);
  }

  public Verified fetch(ContextKeys keys, ContextTrust trust) {
    // 1. The context itself.
    byte[] context =
        store
            .get(keys.context())
            .orElseThrow(
                () -> new ContextRejectedException(Reason.MISSING_CONTEXT, "no " + keys.context()));
    return verify(keys, context, trust, null);
  }

  private Verified verify(
      ContextKeys keys,
      byte[] context,
      ContextTrust trust,
      ContextBlessReference bless) { // 2. The hash file, in sha256sum format, naming this context.
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
    // 6. The bless was not revoked (the deploy pipeline refuses a revoked one too).
    if (!keys.isLatest() && store.get(keys.revocation()).isPresent()) {
      throw new ContextRejectedException(
          Reason.REVOKED, keys.context() + " was revoked (" + keys.revocation() + ")");
    }
    return new Verified(keys, context, actual, bless);
  }

  /** Also requires the context to hash to {@code expectedSha256} (e.g. a manifest's value). */
  public Verified fetch(ContextKeys keys, ContextTrust trust, Optional<String> expectedSha256) {
    return expecting(fetch(keys, trust), expectedSha256);
  }

  /** The verified {@code v}, which must also hash to {@code expectedSha256} when given. */
  public static Verified expecting(Verified v, Optional<String> expectedSha256) {
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
