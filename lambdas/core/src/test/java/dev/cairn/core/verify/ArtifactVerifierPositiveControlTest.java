package dev.cairn.core.verify;

import static dev.cairn.core.verify.ArtifactFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.signature.PemKeySigner;
import dev.cairn.core.signature.PemKeys;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.VerificationReport.GateStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positive controls: what must verify, so the defect suite cannot pass by rejecting everything. */
class ArtifactVerifierPositiveControlTest {

  @TempDir Path tmp;
  ArtifactFixture fx;

  @BeforeEach
  void setUp() {
    fx = ArtifactFixture.example(tmp);
  }

  static void assertAccepted(VerificationReport report) {
    assertThat(report.failures()).as("failures").isEmpty();
    assertThat(report.accepted()).isTrue();
    assertThat(report.gates())
        .extracting(VerificationReport.GateResult::gate)
        .containsExactly(Gate.values());
    assertThat(report.gates()).allMatch(g -> g.status() == GateStatus.PASSED);
  }

  @Test
  void verify_whenValidEcdsaManifest_accepts() {
    ObjectNode m = fx.signed();
    VerificationReport r = fx.verify(m);
    assertAccepted(r);
    assertThat(r.digests().get("artifact_sha256")).isEqualTo(m.get("artifact_sha256").textValue());
    assertThat(r.signer().identity()).isEqualTo(TestKeys.ID_A);
  }

  @Test
  void verify_whenReserializedCompactWithReversedKeyOrder_accepts() {
    JsonNode reordered = reverseKeys(fx.signed());
    String compact = Json.compact(reordered);
    assertThat(compact).startsWith("{\"signature\"");
    assertAccepted(fx.verify(compact.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void verify_whenReserializedWithTabsCrlfAndEscapes_accepts() {
    String text =
        Json.pretty(fx.signed())
            .replace("\n", "\r\n\t")
            .replace(" : ", "\t:\t")
            .replace("\"hello-service\"", "\"hello\\u002dservice\"")
            .replace("\"refs/heads/main\"", "\"refs\\/heads\\/main\"");
    assertAccepted(fx.verify(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void verify_whenDurationWrittenAsExponentOrDecimal_accepts() {
    // JCS canonicalizes numbers: 42, 42.0 and 4.2e1 are the same signed value.
    String text =
        Json.pretty(fx.signed())
            .replaceFirst(
                "\"build_duration_seconds\" : [0-9.]+", "\"build_duration_seconds\" : 4.2e1");
    assertThat(text).contains("4.2e1");
    assertAccepted(fx.verify(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void verify_whenSignatureBase64LineWrapped_accepts() {
    // `base64` wraps at 76 columns; the bytes are the same signature.
    ObjectNode m = ArtifactFixture.sign(fx.unsigned(), TestKeys.rsaSigner());
    String sig = m.get("signature").textValue();
    m.put("signature", sig.substring(0, 76) + "\n" + sig.substring(76) + "\n");
    assertAccepted(fx.verify(m));
  }

  @Test
  void verify_whenSignedWithRsaPss3072_accepts() {
    VerificationReport r = fx.verify(ArtifactFixture.sign(fx.unsigned(), TestKeys.rsaSigner()));
    assertAccepted(r);
    assertThat(r.signer().algorithm()).isEqualTo("RSASSA_PSS_SHA_256");
  }

  @Test
  void verify_whenSignedWithOpenPgp_accepts() {
    VerificationReport r = fx.verify(ArtifactFixture.sign(fx.unsigned(), TestKeys.pgpSigner()));
    assertAccepted(r);
    assertThat(r.signer().algorithm()).isEqualTo("OPENPGP");
  }

  @Test
  void verify_whenSignedBySecondTrustedSigner_accepts() {
    assertAccepted(fx.verify(ArtifactFixture.sign(fx.unsigned(), TestKeys.signerB())));
  }

  @Test
  void verify_whenEveryExpectationSuppliedInPipelineMode_accepts() {
    ObjectNode m = fx.signed();
    fx.options(VerifierOptions.pipeline())
        .expect(
            new Expectations(
                ArtifactFixture.SERVICE,
                ArtifactFixture.COMMIT,
                m.get("artifact_sha256").textValue(),
                ArtifactFixture.CONTEXT_HASH));
    assertAccepted(fx.verify(m));
  }

  @Test
  void verify_whenOneHashThread_acceptsWithSameDigest() {
    ObjectNode m = fx.signed();
    VerificationReport two = fx.verify(m);
    VerificationReport one = fx.options(VerifierOptions.local().withHashThreads(1)).verify(m);
    assertAccepted(one);
    assertThat(one.digests()).isEqualTo(two.digests());
  }

  @Test
  void verify_whenNfcUnicodeFileName_accepts() {
    fx.write(ArtifactFixture.ZIP_ASSET_DIR + "/donn\u00e9es-\u65e5\u672c.json", "{}");
    ObjectNode m = ArtifactFixture.resign(fx.rehashed(fx.unsigned()));
    // The asset's directory hash changed with the new file: declare what CI would.
    assertAccepted(fx.verify(ArtifactFixture.sign(fx.unsigned(), TestKeys.signerA())));
    assertThat(
            m.get("file_hashes")
                .has(ArtifactFixture.ZIP_ASSET_DIR + "/donn\u00e9es-\u65e5\u672c.json"))
        .isTrue();
  }

  @Test
  void verify_whenEmptyDirectoryPresent_accepts() throws IOException {
    // Directories carry no content; like Go's dirhash, only files are hashed.
    ObjectNode m = fx.signed();
    Files.createDirectories(fx.file("empty/nested"));
    assertAccepted(fx.verify(m));
  }

  @Test
  void verify_whenManifestSitsInCdkOutRoot_accepts() throws IOException {
    ObjectNode m = fx.signed();
    Path manifest = fx.file("artifact-manifest.json");
    Files.write(manifest, bytes(m));
    assertAccepted(
        fx.verify(bytes(m), LocalDirectoryArtifactSource.forVerification(fx.cdkOut, manifest)));
  }

  @Test
  void verify_whenKeysMadeByOpenssl_accepts() throws Exception {
    assumeTrue(runs("openssl", "version"), "openssl is installed");
    Path ecSec1 = tmp.resolve("ec-sec1.pem");
    Path ecPkcs8 = tmp.resolve("ec-pkcs8.pem");
    Path rsaTraditional = tmp.resolve("rsa-pkcs1.pem");
    Path rsaDefault = tmp.resolve("rsa-genrsa.pem");
    run(
        "openssl",
        "ecparam",
        "-genkey",
        "-name",
        "prime256v1",
        "-noout",
        "-out",
        ecSec1.toString());
    assertThat(Files.readString(ecSec1)).contains("BEGIN EC PRIVATE KEY");
    run(
        "openssl",
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        ecPkcs8.toString());
    assertThat(Files.readString(ecPkcs8)).contains("BEGIN PRIVATE KEY");
    run("openssl", "genrsa", "-traditional", "-out", rsaTraditional.toString(), "3072");
    assertThat(Files.readString(rsaTraditional)).contains("BEGIN RSA PRIVATE KEY");
    run("openssl", "genrsa", "-out", rsaDefault.toString(), "3072");

    for (Path key : List.of(ecSec1, ecPkcs8, rsaTraditional, rsaDefault)) {
      Path pub = tmp.resolve(key.getFileName() + ".pub");
      run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
      String publicPem = Files.readString(pub);
      var publicKey = PemKeys.readPublicKey(publicPem);
      SignatureAlgorithm alg = PemKeys.algorithmOf(publicKey);
      TrustPolicy policy =
          TrustPolicy.of(
              List.of(new TrustPolicy.SignerSpec("key:openssl", alg, publicPem)),
              List.of(TestKeys.CLI_VERSION),
              List.of(TestKeys.MAIN));
      var signer = new PemKeySigner("key:openssl", PemKeys.readPrivateKey(Files.readString(key)));
      VerificationReport r = fx.policy(policy).verify(ManifestFactory.sign(fx.unsigned(), signer));
      assertThat(r.failures()).as("key %s", key.getFileName()).isEmpty();
      assertAccepted(r);
    }
  }

  @Test
  void verify_whenOpensslSignsTheCanonicalBytes_accepts() throws Exception {
    // An independent signer: openssl signs the JCS bytes the way KMS would, and Cairn verifies.
    assumeTrue(runs("openssl", "version"), "openssl is installed");
    Path key = tmp.resolve("k.pem");
    run("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", key.toString());
    Path pub = tmp.resolve("k.pub");
    run("openssl", "ec", "-in", key.toString(), "-pubout", "-out", pub.toString());
    ObjectNode m = fx.unsigned();
    m.put("signing_identity", "key:openssl");
    Path message =
        Files.write(tmp.resolve("msg"), dev.cairn.core.json.CanonicalJson.canonicalize(m));
    Path sig = tmp.resolve("sig.der");
    run(
        "openssl",
        "dgst",
        "-sha256",
        "-sign",
        key.toString(),
        "-out",
        sig.toString(),
        message.toString());
    m.put("signature", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(sig)));
    TrustPolicy policy =
        TrustPolicy.of(
            List.of(
                new TrustPolicy.SignerSpec(
                    "key:openssl", SignatureAlgorithm.ECDSA_SHA_256, Files.readString(pub))),
            List.of(TestKeys.CLI_VERSION),
            List.of(TestKeys.MAIN));
    assertAccepted(fx.policy(policy).verify(m));
  }

  static JsonNode reverseKeys(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        fields.add(it.next());
      }
      Collections.reverse(fields);
      ObjectNode out = Json.object();
      fields.forEach(e -> out.set(e.getKey(), reverseKeys(e.getValue())));
      return out;
    }
    return node;
  }

  static boolean runs(String... cmd) {
    try {
      return new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
  }
}
