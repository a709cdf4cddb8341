package dev.cairn.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.port.ItemAuthenticator;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The item MAC codec, with a JCA HMAC standing in for the KMS key. */
class ItemMacsTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

  private final ItemAuthenticator hmac =
      new ItemAuthenticator() {
        @Override
        public byte[] mac(byte[] digest) {
          try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return m.doFinal(digest);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
          }
        }

        @Override
        public boolean verify(byte[] digest, byte[] mac) {
          return MessageDigest.isEqual(mac(digest), mac);
        }
      };

  private final ItemMacs macs = new ItemMacs(hmac);

  private static ObjectNode item() {
    ObjectNode o = Json.object();
    o.put("service", "orders")
        .put("commit_sha", "abc")
        .put("status", "candidate")
        .put("version", 3);
    o.putObject("environment_states").putObject("prod").put("status", "not_deployed");
    return o;
  }

  @Test
  void digest_isSha256OfTheRfc8785FormWithoutTheMac_inAnyMemberOrder() throws Exception {
    ObjectNode a = item();
    ObjectNode b = Json.object();
    b.set("environment_states", a.get("environment_states"));
    b.put("version", 3)
        .put("status", "candidate")
        .put("commit_sha", "abc")
        .put("service", "orders");
    b.put(ItemMacs.ATTRIBUTE, "ignored");
    assertThat(ItemMacs.digest(b)).isEqualTo(ItemMacs.digest(a));
    assertThat(ItemMacs.digest(a))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.canonicalize(a)));
  }

  @Test
  void check_sealedItem_passes_andStripRemovesTheMac() {
    ObjectNode sealed = macs.seal(item());
    macs.check(sealed, ItemIntegrityFailure.RECORD_UNAUTHENTICATED, "orders/abc");
    assertThat(ItemMacs.strip(sealed)).isEqualTo(item());
  }

  @Test
  void check_whenAnyAttributeChanges_failsMacMismatch() {
    ObjectNode sealed = macs.seal(item());
    ((ObjectNode) sealed.at("/environment_states/prod")).put("status", "pending");
    assertThatThrownBy(
            () -> macs.check(sealed, ItemIntegrityFailure.RECORD_UNAUTHENTICATED, "orders/abc"))
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RecordUnauthenticatedException.Reason.MAC_MISMATCH);
              assertThat(e.getMessage()).startsWith("RECORD_UNAUTHENTICATED: orders/abc");
            });
  }

  @Test
  void check_whenAttributeAdded_failsMacMismatch() {
    ObjectNode sealed = macs.seal(item());
    sealed.put("sweep_due_at", 1);
    assertThatThrownBy(
            () -> macs.check(sealed, ItemIntegrityFailure.RECORD_UNAUTHENTICATED, "orders/abc"))
        .isInstanceOf(RecordUnauthenticatedException.class);
  }

  @Test
  void check_withoutMac_failsMacMissing_andGarbage_failsMacMalformed() {
    assertThatThrownBy(
            () -> macs.check(item(), ItemIntegrityFailure.AUDIT_ENTRY_UNAUTHENTICATED, "cairn:1"))
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RecordUnauthenticatedException.Reason.MAC_MISSING);
              assertThat(e.failure()).isEqualTo(ItemIntegrityFailure.AUDIT_ENTRY_UNAUTHENTICATED);
            });
    ObjectNode garbage = item().put(ItemMacs.ATTRIBUTE, "not base64 !");
    assertThatThrownBy(
            () -> macs.check(garbage, ItemIntegrityFailure.RECORD_UNAUTHENTICATED, "orders/abc"))
        .isInstanceOfSatisfying(
            RecordUnauthenticatedException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(RecordUnauthenticatedException.Reason.MAC_MALFORMED));
  }
}
