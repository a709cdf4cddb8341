package dev.cairn.core.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.context.port.BlessedContextStore;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Blesses a context: generate twice, require identical hashes, sign, upload the dated files
 * (write-once), then move the {@code latest} pointer. Revokes a bless with a signed, write-once
 * revocation beside it. Runs as the context-generator role, the only writer of the bucket.
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

  /**
   * What was blessed and where: {@link #reference()} is what a manifest built with this context
   * records.
   */
  public record Blessed(
      ContextKeys keys,
      String sha256,
      String signingIdentity,
      String signatureKey,
      String versionId) {

    public ContextBlessReference reference() {
      return new ContextBlessReference(keys.context(), versionId);
    }
  }

  /** A revoked bless. */
  public record Revoked(ContextKeys keys, String sha256, String revocationKey) {}

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
    ContextKeys.SignatureKind kind = ContextKeys.kindOf(signer.algorithm());
    byte[] signature = SignatureArmor.encode(kind, signer.sign(first));
    // 4. Dated, immutable files; the context last, so a bless that is visible is complete.
    ContextKeys dated = new ContextKeys(env, DATE.format(clock.instant()));
    store.putNew(dated.hash(), hashLine(hash, dated));
    store.putNew(dated.signature(kind), signature);
    String versionId = store.putNew(dated.context(), first);
    if (versionId == null) {
      // A manifest must name the exact version it was built with; an unversioned bucket has none.
      throw new ContextBlessException(
          ContextBlessException.Reason.GENERATION_FAILED,
          "the contexts bucket returned no version id for "
              + dated.context()
              + "; it must be versioned");
    }
    // 5. The latest pointer (copies, so `aws s3 cp .../latest.context.json` works as the spec
    // says), and which dated bless it is, for CI to record in the manifest.
    ContextKeys latest = ContextKeys.latest(env);
    store.put(latest.hash(), hashLine(hash, latest));
    store.put(latest.signature(kind), signature);
    store.put(latest.context(), first);
    ObjectNode pointer = new ContextBlessReference(dated.context(), versionId).toJson();
    pointer.put("cdk_context_hash", hash);
    pointer.put("signing_identity", signer.signingIdentity());
    store.put(
        ContextLayout.latestBlessKey(env), Json.pretty(pointer).getBytes(StandardCharsets.UTF_8));
    return new Blessed(dated, hash, signer.signingIdentity(), dated.signature(kind), versionId);
  }

  /**
   * Revokes the bless at {@code dated}: writes {@link ContextRevocation} and its signature,
   * write-once. The verifier then refuses every artifact that names this bless, at any version.
   */
  public Revoked revoke(ContextKeys dated, String reason, ManifestSigner signer) {
    if (dated.isLatest()) {
      throw new ContextBlessException(
          ContextBlessException.Reason.NOT_BLESSED,
          "latest is a copy; revoke the dated bless it was made from (see "
              + ContextLayout.latestBlessKey(dated.env())
              + ")");
    }
    byte[] context =
        store
            .get(dated.context())
            .orElseThrow(
                () ->
                    new ContextBlessException(
                        ContextBlessException.Reason.NOT_BLESSED,
                        "no blessed context at " + dated.context()));
    if (store.get(dated.revocation()).isPresent()) {
      throw new ContextBlessException(
          ContextBlessException.Reason.ALREADY_REVOKED, dated.context() + " is already revoked");
    }
    String hash = Sha256.hex(context);
    byte[] document =
        new ContextRevocation(
                dated.context(), hash, reason, clock.instant().toString(), signer.signingIdentity())
            .toBytes();
    ContextKeys.SignatureKind kind = ContextKeys.kindOf(signer.algorithm());
    // The signature first: a revocation that is visible is a complete one.
    store.putNew(
        dated.revocationSignature(kind), SignatureArmor.encode(kind, signer.sign(document)));
    store.putNew(dated.revocation(), document);
    return new Revoked(dated, hash, dated.revocation());
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
