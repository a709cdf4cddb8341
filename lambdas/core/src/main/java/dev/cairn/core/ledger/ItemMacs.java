package dev.cairn.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.ledger.port.ItemAuthenticator;
import java.util.Base64;

/**
 * The item MAC codec for records and audit items:
 *
 * <pre>
 * item_mac = base64( MAC( SHA-256( JCS( item without "item_mac" ) ) ) )
 * </pre>
 *
 * JCS is RFC 8785 ({@link CanonicalJson}); the item is the whole stored item as JSON, keys
 * included, so no attribute can be added, removed, changed or moved to another key without the MAC
 * failing. {@link #check} refuses an item without a MAC exactly as one with a wrong MAC: there is
 * no legacy exemption.
 */
public final class ItemMacs {

  /** The attribute that carries the MAC. */
  public static final String ATTRIBUTE = "item_mac";

  private final ItemAuthenticator authenticator;

  public ItemMacs(ItemAuthenticator authenticator) {
    this.authenticator = java.util.Objects.requireNonNull(authenticator, "authenticator");
  }

  /** SHA-256 of the item's canonical form without {@value #ATTRIBUTE}: the MAC'd message. */
  public static byte[] digest(ObjectNode item) {
    return Sha256.newDigest().digest(CanonicalJson.canonicalizeWithout(item, ATTRIBUTE));
  }

  /** The {@value #ATTRIBUTE} value for {@code item} (any MAC it already carries is ignored). */
  public String macOf(ObjectNode item) {
    return Base64.getEncoder().encodeToString(authenticator.mac(digest(item)));
  }

  /** A copy of {@code item} carrying its MAC. */
  public ObjectNode seal(ObjectNode item) {
    ObjectNode sealed = item.deepCopy();
    sealed.put(ATTRIBUTE, macOf(item));
    return sealed;
  }

  /**
   * Checks {@code item}'s MAC; returns normally only if it verifies.
   *
   * @throws RecordUnauthenticatedException with {@code failure} when the MAC is missing, malformed
   *     or does not verify
   */
  public void check(ObjectNode item, ItemIntegrityFailure failure, String itemKey) {
    JsonNode mac = item.get(ATTRIBUTE);
    if (mac == null || !mac.isTextual() || mac.asText().isEmpty()) {
      throw new RecordUnauthenticatedException(
          failure, itemKey, RecordUnauthenticatedException.Reason.MAC_MISSING);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(mac.asText());
    } catch (IllegalArgumentException e) {
      throw new RecordUnauthenticatedException(
          failure, itemKey, RecordUnauthenticatedException.Reason.MAC_MALFORMED);
    }
    if (bytes.length == 0 || !authenticator.verify(digest(item), bytes)) {
      throw new RecordUnauthenticatedException(
          failure, itemKey, RecordUnauthenticatedException.Reason.MAC_MISMATCH);
    }
  }

  /** {@code item} without its MAC: what the rest of Cairn reads. */
  public static ObjectNode strip(ObjectNode item) {
    ObjectNode out = item.deepCopy();
    out.remove(ATTRIBUTE);
    return out;
  }
}
