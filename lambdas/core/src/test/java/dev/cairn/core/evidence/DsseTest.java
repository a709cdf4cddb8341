package dev.cairn.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSSE as its protocol defines it, checked with real openssl rather than with our own verifier. */
class DsseTest {

  @TempDir Path tmp;

  @Test
  void pae_matchesTheProtocolsExample() {
    byte[] pae =
        Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void pae_countsBytesNotCharacters() {
    byte[] pae = Dsse.pae("t", "é".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
  }

  @Test
  void envelope_verifiesWithOpensslOverThePae_andNotAfterOneChangedPayloadByte() throws Exception {
    KeyPair keys = PemKeys.generate(SignatureAlgorithm.ECDSA_SHA_256);
    byte[] statement =
        "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);
    ObjectNode envelope =
        Dsse.sign(
            Dsse.IN_TOTO_PAYLOAD_TYPE,
            statement,
            new PemKeySigner("key:ci-signer", keys.getPrivate()));

    assertThat(envelope.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
    assertThat(envelope.at("/signatures/0/keyid").asText()).isEqualTo("key:ci-signer");
    Path pub = Files.writeString(tmp.resolve("pub.pem"), PemKeys.toPem(keys.getPublic()));
    Path sig = Files.write(tmp.resolve("sig.der"), Dsse.signature(envelope));
    Path pae =
        Files.write(
            tmp.resolve("pae.bin"),
            Dsse.pae(envelope.path("payloadType").asText(), Dsse.payload(envelope)));
    assertThat(openssl(pub, sig, pae)).isZero();

    byte[] changed = Dsse.payload(envelope);
    changed[2] ^= 1;
    Files.write(pae, Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, changed));
    assertThat(openssl(pub, sig, pae)).isNotZero();
  }

  @Test
  void subject_isTheDigestOfTheSortedSha256sumList() throws Exception {
    Map<String, String> files = new TreeMap<>();
    files.put("manifest.json", Sha256.hex("{}".getBytes(StandardCharsets.UTF_8)));
    files.put("asset.abc/index.js", Sha256.hex("x".getBytes(StandardCharsets.UTF_8)));
    files.put("Stack.template.json", Sha256.hex("t".getBytes(StandardCharsets.UTF_8)));
    StringBuilder list = new StringBuilder();
    // sha256sum's output for files sorted with LC_ALL=C (byte order, so upper case first).
    for (String path : new TreeMap<>(files).keySet()) {
      list.append(files.get(path)).append("  ").append(path).append('\n');
    }
    String digest = DirectoryHash.compute(files);
    ObjectNode record = Json.object();
    record.putObject("artifact").put("artifact_sha256", digest).put("manifest_sha256", digest);

    ObjectNode statement = ProvenanceStatement.of(record, "k", digest);

    assertThat(Sha256.hex(list.toString().getBytes(StandardCharsets.UTF_8))).isEqualTo(digest);
    assertThat(statement.at("/subject/0/name").asText()).isEqualTo("cdk.out");
    assertThat(statement.at("/subject/0/digest/sha256").asText()).isEqualTo(digest);
    assertThat(statement.path("predicateType").asText())
        .isEqualTo("https://slsa.dev/provenance/v1");
  }

  private static int openssl(Path pub, Path sig, Path data) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                pub.toString(),
                "-signature",
                sig.toString(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
