package dev.cairn.aws.kms;

import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.RecordUnauthenticatedException;
import dev.cairn.core.ledger.port.IntegrityAlerts;
import dev.cairn.local.emulators.KmsEmulator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * The record MAC key for adapter and handler tests: a fresh {@code HMAC_256} key in a {@link
 * KmsEmulator} (real HMAC), used through the production {@link KmsItemAuthenticator}, and an {@link
 * IntegrityAlerts} that records what it was told.
 */
public final class ItemMacKeys {

  private final KmsEmulator kms = new KmsEmulator();
  private final String keyId = kms.createKey(KeySpec.HMAC_256, KeyUsageType.GENERATE_VERIFY_MAC);
  private final ItemMacs macs = new ItemMacs(new KmsItemAuthenticator(kms, keyId));
  private final List<RecordUnauthenticatedException> refused =
      Collections.synchronizedList(new ArrayList<>());

  /** The codec on this key. */
  public ItemMacs macs() {
    return macs;
  }

  /** Records every refusal reported. */
  public IntegrityAlerts alerts() {
    return refused::add;
  }

  /** Every refusal reported so far, in order. */
  public List<RecordUnauthenticatedException> refused() {
    synchronized (refused) {
      return List.copyOf(refused);
    }
  }

  public KmsEmulator kms() {
    return kms;
  }

  public String keyId() {
    return keyId;
  }
}
