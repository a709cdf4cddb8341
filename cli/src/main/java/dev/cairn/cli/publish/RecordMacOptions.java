package dev.cairn.cli.publish;

import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.kms.KmsItemAuthenticator;
import dev.cairn.core.ledger.ItemMacs;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --mac-key}: the control plane's record MAC key (KMS {@code HMAC_256}, alias {@value
 * #DEFAULT_ALIAS}). Readers given it check every record and audit item with {@code kms:VerifyMac}
 * before showing it; readers without it (an operator without KMS access) check what they can and
 * say that MACs were not checked.
 */
public final class RecordMacOptions {

  /** The alias the CDK stateful stack gives the key. */
  public static final String DEFAULT_ALIAS = "alias/cairn-record-mac";

  @Option(
      names = "--mac-key",
      paramLabel = "KEY",
      description =
          "Check record/audit item MACs with this KMS key (ARN or alias, e.g. "
              + DEFAULT_ALIAS
              + "; needs kms:VerifyMac). Without it, MACs are not checked and the output says so.")
  String macKey;

  /** The codec on the key, when one was given. */
  public Optional<ItemMacs> macs(AwsClients clients) {
    return macKey == null
        ? Optional.empty()
        : Optional.of(new ItemMacs(new KmsItemAuthenticator(clients.kms(), macKey)));
  }

  /** The key given, or null. */
  public String key() {
    return macKey;
  }
}
