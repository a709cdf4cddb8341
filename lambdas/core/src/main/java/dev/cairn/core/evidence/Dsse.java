package dev.cairn.core.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Dead Simple Signing Envelope (DSSE v1.0, github.com/secure-systems-lab/dsse, protocol.md): the
 * signature covers the pre-authentication encoding of the payload type and the payload bytes, never
 * the JSON envelope.
 */
public final class Dsse {

  /** The payload type of an in-toto Statement. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private Dsse() {}

  /**
   * {@code PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, where {@code LEN}
   * is the byte length as ASCII decimal without leading zeros and {@code type} is UTF-8.
   */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /**
   * The envelope {@code {payloadType, payload, signatures: [{keyid, sig}]}} with {@code payload}
   * and {@code sig} in standard base64. {@code keyid} is the signer's identity (a hint only: the
   * verifier chooses the key).
   */
  public static ObjectNode sign(String payloadType, byte[] payload, ManifestSigner signer) {
    byte[] signature = signer.sign(pae(payloadType, payload));
    ObjectNode env = Json.object();
    env.put("payloadType", payloadType);
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.putArray("signatures")
        .addObject()
        .put("keyid", signer.signingIdentity())
        .put("sig", Base64.getEncoder().encodeToString(signature));
    return env;
  }

  /** The payload bytes of an envelope. */
  public static byte[] payload(JsonNode envelope) {
    return Base64.getDecoder().decode(envelope.path("payload").asText());
  }

  /** The first signature's bytes. */
  public static byte[] signature(JsonNode envelope) {
    return Base64.getDecoder().decode(envelope.path("signatures").path(0).path("sig").asText());
  }
}
