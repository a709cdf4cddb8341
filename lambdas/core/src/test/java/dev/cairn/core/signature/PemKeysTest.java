package dev.cairn.core.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PemKeys#readPublicKey} reads a lone {@code PUBLIC KEY} block with the JDK alone. For every
 * text it takes, it must return what the general (BouncyCastle) path returns; every other text must
 * go to the general path, so errors and odd encodings are decided as before.
 */
class PemKeysTest {

  @Test
  void plainBlocks_giveTheGeneralPathsKey() throws Exception {
    List<PublicKey> keys = new ArrayList<>();
    keys.add(PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256).getPublic());
    keys.add(PemKeys.generate(SignatureAlgorithm.RSASSA_PSS_SHA_256).getPublic());
    KeyPairGenerator rsa2048 = KeyPairGenerator.getInstance("RSA");
    rsa2048.initialize(2048);
    keys.add(rsa2048.generateKeyPair().getPublic());
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    keys.add(p384.generateKeyPair().getPublic());
    for (PublicKey key : keys) {
      String pem = PemKeys.toPem(key);
      for (String variant :
          List.of(pem, pem.replace("\n", "\r\n"), pem + "\n\n  ", oneLine(key.getEncoded()))) {
        PublicKey plain = PemKeys.plainPublicKey(variant);
        assertThat(plain).as(variant).isNotNull();
        assertSameKey(plain, PemKeys.readAnyPublicKey(variant));
        assertSameKey(PemKeys.readPublicKey(variant), key);
      }
    }
  }

  @Test
  void everythingElse_goesToTheGeneralPath() throws Exception {
    PublicKey ec = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256).getPublic();
    String pem = PemKeys.toPem(ec);
    byte[] der = ec.getEncoded();
    // The SPKI's outer length in long form: valid BER, not DER.
    byte[] longForm = new byte[der.length + 1];
    longForm[0] = 0x30;
    longForm[1] = (byte) 0x81;
    System.arraycopy(der, 1, longForm, 2, der.length - 1);
    KeyPairGenerator pss = KeyPairGenerator.getInstance("RSASSA-PSS");
    pss.initialize(2048);
    List<String> others =
        List.of(
            "comment line\n" + pem,
            "\n  " + pem,
            pem + "trailing text\n",
            pem + pem,
            pem.replace("PUBLIC KEY", "RSA PUBLIC KEY"),
            pem.replace("\n-----END", "*\n-----END"),
            pem.replace(
                "-----BEGIN PUBLIC KEY-----\n", "-----BEGIN PUBLIC KEY-----\nProc-Type: x\n"),
            block(java.util.Arrays.copyOf(der, der.length - 1)),
            block(longForm),
            block(pss.generateKeyPair().getPublic().getEncoded()),
            "",
            "-----BEGIN PUBLIC KEY----------END PUBLIC KEY-----");
    for (String text : others) {
      assertThat(PemKeys.plainPublicKey(text)).as(text).isNull();
      String general = outcome(() -> PemKeys.readAnyPublicKey(text));
      assertThat(outcome(() -> PemKeys.readPublicKey(text))).as(text).isEqualTo(general);
    }
    assertThatThrownBy(() -> PemKeys.readPublicKey(block(java.util.Arrays.copyOf(der, 10))))
        .isInstanceOf(KeyFormatException.class);
  }

  private interface Read {
    PublicKey read();
  }

  private static String outcome(Read read) {
    try {
      PublicKey k = read.read();
      return k.getClass().getName() + " " + Base64.getEncoder().encodeToString(k.getEncoded());
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static void assertSameKey(PublicKey actual, PublicKey expected) {
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    assertThat(actual.getAlgorithm()).isEqualTo(expected.getAlgorithm());
    assertThat(actual.getEncoded()).isEqualTo(expected.getEncoded());
    assertThat(actual).isEqualTo(expected);
  }

  private static String block(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static String oneLine(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getEncoder().encodeToString(der)
        + "\n-----END PUBLIC KEY-----";
  }
}
