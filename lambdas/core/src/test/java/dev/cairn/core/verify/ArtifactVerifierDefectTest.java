package dev.cairn.core.verify;

import static dev.cairn.core.verify.ArtifactFixture.API_ASSETS;
import static dev.cairn.core.verify.ArtifactFixture.API_TEMPLATE;
import static dev.cairn.core.verify.ArtifactFixture.ZIP_ASSET_DIR;
import static dev.cairn.core.verify.ArtifactFixture.ZIP_ASSET_ID;
import static dev.cairn.core.verify.ArtifactFixture.bytes;
import static dev.cairn.core.verify.ArtifactFixture.resign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.verify.VerificationReport.GateStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fixture per defect (STYLE.md "Tests that would catch a real bug"): each test builds the
 * example artifact, introduces exactly one defect, and asserts the exact gate and failure code, and
 * that every earlier gate passed and no later gate ran.
 */
class ArtifactVerifierDefectTest {

  @TempDir Path tmp;
  ArtifactFixture fx;

  @BeforeEach
  void setUp() {
    fx = ArtifactFixture.example(tmp);
  }

  static void assertRejected(VerificationReport report, Gate gate, FailureCode code) {
    assertThat(report.accepted()).as("verdict").isFalse();
    assertThat(report.firstFailure().code())
        .as("failure code of %s", report.failures())
        .isEqualTo(code);
    assertThat(report.firstFailure().gate()).as("gate").isEqualTo(gate).isEqualTo(code.gate());
    for (VerificationReport.GateResult g : report.gates()) {
      if (g.gate().ordinal() < gate.ordinal()) {
        assertThat(g.status())
            .as("%s before the failed gate", g.gate())
            .isEqualTo(GateStatus.PASSED);
      } else if (g.gate() == gate) {
        assertThat(g.status()).isEqualTo(GateStatus.FAILED);
      } else {
        assertThat(g.status())
            .as("%s after the failed gate", g.gate())
            .isEqualTo(GateStatus.NOT_EVALUATED);
      }
    }
    assertThat(report.gates()).hasSize(Gate.values().length - (gate.ordinal() > 0 ? 0 : 0));
  }

  private String pretty() {
    return Json.pretty(fx.signed());
  }

  private VerificationReport verifyText(String manifest) {
    return fx.verify(manifest.getBytes(StandardCharsets.UTF_8));
  }

  private VerificationReport verifyWithPath(String path) {
    ObjectNode m = fx.signed();
    ((ObjectNode) m.get("file_hashes")).put(path, "0".repeat(64));
    return fx.verify(resign(m));
  }

  // ---------------------------------------------------------------- 1. MANIFEST_STRUCTURE

  @Test
  void verify_whenManifestMissing_failsManifestStructure() {
    assertRejected(fx.verify((byte[]) null), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MISSING);
  }

  @Test
  void verify_whenManifestOverLimit_failsManifestTooLarge() {
    byte[] big = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    VerificationReport report = fx.verify(big);
    assertRejected(report, Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_TOO_LARGE);
    assertThat(report.digests()).doesNotContainKey("manifest_sha256");
  }

  @Test
  void parse_when100MbManifestStreamed_failsTooLargeWithoutReadingItAll() throws IOException {
    long hundredMb = 100L * 1024 * 1024;
    CountingStream in = new CountingStream(hundredMb);
    ManifestParser.Result r = ManifestParser.parse(in);
    assertThat(r).isInstanceOf(ManifestParser.Result.Invalid.class);
    assertThat(((ManifestParser.Result.Invalid) r).failure().code())
        .isEqualTo(FailureCode.MANIFEST_TOO_LARGE);
    // Bounded: at most the limit + 1 bytes were read (and held), never the 100 MB.
    assertThat(in.read).isLessThanOrEqualTo(ManifestParser.MAX_MANIFEST_BYTES + 1L);
  }

  @Test
  void verify_whenManifestTruncated_failsMalformedJson() {
    String text = pretty();
    assertRejected(
        verifyText(text.substring(0, text.length() / 2)),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_MALFORMED_JSON);
  }

  @Test
  void verify_whenManifestEmpty_failsMalformedJson() {
    assertRejected(
        fx.verify(new byte[0]), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
  }

  @Test
  void verify_whenTrailingGarbage_failsMalformedJson() {
    assertRejected(
        verifyText(pretty() + " {}"), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
  }

  @Test
  void verify_whenInvalidUtf8_failsMalformedJson() {
    byte[] b =
        pretty().replace("hello-service", "hello-servic\u00e9").getBytes(StandardCharsets.UTF_8);
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("servic") + 6;
    b[at + 1] = (byte) 0x28; // break the 2-byte sequence C3 A9 into C3 28
    assertRejected(fx.verify(b), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
  }

  @Test
  void verify_whenManifestIsUtf16_failsMalformedJson() {
    // Same JSON, same signature, but not UTF-8: RFC 8259 section 8.1.
    byte[] utf16 = pretty().getBytes(StandardCharsets.UTF_16BE);
    assertRejected(fx.verify(utf16), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
  }

  @Test
  void verify_whenAssetManifestLooksLikeUtf32_failsAssetManifestInvalid() throws IOException {
    // Jazzer finding (CloudAssemblyAssetsFuzzTest): a CharConversionException escaped as an I/O
    // error (CLI exit 2) instead of a rejection at the asset gate.
    ObjectNode m = fx.unsigned();
    Files.write(
        fx.file(API_ASSETS),
        new byte[] {0, 0, 0, (byte) 0xe2, (byte) 0xe2, (byte) 0xe2, (byte) 0xe2, (byte) 0xe2});
    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
  }

  @Test
  void verify_whenTopLevelKeyDuplicated_failsDuplicateKey() {
    // "last one wins" would read true; the first says false.
    String text = pretty().replaceFirst("\\{", "{ \"git_signature_verified\" : false,");
    assertRejected(verifyText(text), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_DUPLICATE_KEY);
  }

  @Test
  void verify_whenNestedKeyDuplicated_failsDuplicateKey() {
    String text =
        pretty()
            .replace(
                "\"file_hashes\" : {",
                "\"file_hashes\" : { \"manifest.json\" : \"" + "0".repeat(64) + "\",");
    assertRejected(verifyText(text), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_DUPLICATE_KEY);
  }

  @Test
  void verify_whenDuplicateKeyHiddenByEscape_failsDuplicateKey() {
    String text = "{ \"git_signature_verifi\\u0065d\" : false," + pretty().substring(1);
    assertRejected(verifyText(text), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_DUPLICATE_KEY);
  }

  @Test
  void verify_whenNested100kDeep_failsTooDeep() {
    assertRejected(
        verifyText("[".repeat(100_000)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_TOO_DEEP);
  }

  @Test
  void verify_whenObjectsNestedDeep_failsTooDeep() {
    assertRejected(
        verifyText("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_TOO_DEEP);
  }

  @Test
  void verify_whenManifestIsArray_failsNotObject() {
    assertRejected(
        verifyText("[" + pretty() + "]"), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_NOT_OBJECT);
  }

  @Test
  void verify_whenManifestIsString_failsNotObject() {
    assertRejected(
        verifyText("\"manifest\""), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_NOT_OBJECT);
  }

  @Test
  void verify_whenSchemaVersion2_failsUnsupportedSchemaVersion() {
    ObjectNode m = fx.unsigned();
    m.put("schema_version", "2");
    assertRejected(
        fx.verify(resign(m)),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSUPPORTED_SCHEMA_VERSION);
  }

  @Test
  void verify_whenSchemaVersionNumber_failsFieldType() {
    ObjectNode m = fx.unsigned();
    m.put("schema_version", 1);
    assertRejected(fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_TYPE);
  }

  @Test
  void verify_whenCommitFieldMissing_failsMissingField() {
    ObjectNode m = fx.unsigned();
    m.remove("commit");
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MISSING_FIELD);
  }

  @Test
  void verify_whenSignatureFieldMissing_failsMissingField() {
    ObjectNode m = fx.signed();
    m.remove("signature");
    assertRejected(fx.verify(m), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MISSING_FIELD);
  }

  @Test
  void verify_whenUnknownTopLevelField_failsUnknownField() {
    ObjectNode m = fx.unsigned();
    m.put("approved_by", "mallory");
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_UNKNOWN_FIELD);
  }

  @Test
  void verify_whenUnknownAssetField_failsUnknownField() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("assets").get(ZIP_ASSET_ID)).put("skipVerification", true);
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_UNKNOWN_FIELD);
  }

  @Test
  void verify_whenGitSignatureVerifiedIsString_failsFieldType() {
    ObjectNode m = fx.unsigned();
    m.put("git_signature_verified", "true");
    assertRejected(fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_TYPE);
  }

  @Test
  void verify_whenFileHashIsNumber_failsFieldType() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("file_hashes")).put("manifest.json", 7);
    assertRejected(fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_TYPE);
  }

  @Test
  void verify_whenCommitShort_failsFieldFormat() {
    ObjectNode m = fx.unsigned();
    m.put("commit", "0123456");
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenBuildTimeNotARealDate_failsFieldFormat() {
    ObjectNode m = fx.unsigned();
    m.put("build_time", "2026-02-30T12:00:00Z");
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenBuildDurationNegative_failsFieldFormat() {
    ObjectNode m = fx.unsigned();
    m.put("build_duration_seconds", -1);
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenFileHashUpperCase_failsFieldFormat() {
    ObjectNode m = fx.unsigned();
    ObjectNode fh = (ObjectNode) m.get("file_hashes");
    fh.put("manifest.json", fh.get("manifest.json").textValue().toUpperCase());
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenFileHashesEmpty_failsFieldFormat() {
    ObjectNode m = fx.unsigned();
    m.putObject("file_hashes");
    assertRejected(
        fx.verify(resign(m)), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenStringHasLoneSurrogate_failsFieldFormat() {
    // "\ud800" and "\udbff" have the same (replacement-byte) canonical UTF-8: the signature
    // would not bind the value. I-JSON forbids them; so does the parser.
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("cdk_library_versions")).put("aws-cdk-lib", "2.263.0\ud800");
    String text = Json.pretty(resign(m)).replace("\ud800", "\\ud800");
    assertThat(text).contains("2.263.0\\ud800");
    assertRejected(verifyText(text), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_FIELD_FORMAT);
  }

  @Test
  void verify_whenStringHasLoneSurrogateAsRawUtf8Bytes_failsMalformedJson() {
    // The same lone surrogate written as UTF-8 bytes (ED A0 80), not as an escape: the parser's
    // shortcut that skips the surrogate walk (no escape, no 0xED byte) does not take it, and the
    // bytes are not UTF-8 at all (an encoded surrogate), so the text is refused before any value is
    // read from it.
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("cdk_library_versions")).put("aws-cdk-lib", "2.263.0X");
    byte[] text = Json.pretty(resign(m)).getBytes(StandardCharsets.UTF_8);
    String marker = "2.263.0X";
    int at = new String(text, StandardCharsets.ISO_8859_1).indexOf(marker) + marker.length() - 1;
    byte[] raw = new byte[text.length + 2];
    System.arraycopy(text, 0, raw, 0, at);
    raw[at] = (byte) 0xED;
    raw[at + 1] = (byte) 0xA0;
    raw[at + 2] = (byte) 0x80;
    System.arraycopy(text, at + 1, raw, at + 3, text.length - at - 1);
    assertThat(dev.cairn.core.manifest.ManifestParserProbe.mayHoldUnpairedSurrogate(raw)).isTrue();

    VerificationReport report = fx.verify(raw);

    assertRejected(report, Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
    assertThat(
            dev.cairn.core.manifest.ManifestParserProbe.mayHoldUnpairedSurrogate(
                Json.pretty(fx.signed()).getBytes(StandardCharsets.UTF_8)))
        .as("an ordinary manifest takes the shortcut")
        .isFalse();
  }

  @Test
  void verify_whenSignedReplacementCharacterIsRewrittenAsMalformedUtf8_failsMalformedJson() {
    // A value the signer wrote with U+FFFD (EF BF BD), its bytes then swapped for ones that are not
    // UTF-8 (a lone continuation byte, an overlong '/', a truncated sequence). A decoder that
    // replaces what it cannot read makes each of them U+FFFD again: the signed value, with other
    // bytes. The manifest's bytes must be the ones that were signed, so each is refused.
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("cdk_library_versions")).put("aws-cdk-lib", "2.263.0\ufffd");
    byte[] signed = Json.pretty(resign(m)).getBytes(StandardCharsets.UTF_8);
    assertThat(fx.verify(signed).accepted()).as("the manifest as signed").isTrue();
    byte[] replacement = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    int at = indexOf(signed, replacement);
    for (byte[] malformed :
        List.of(
            new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xE2, (byte) 0x82},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
      byte[] swapped = new byte[signed.length - replacement.length + malformed.length];
      System.arraycopy(signed, 0, swapped, 0, at);
      System.arraycopy(malformed, 0, swapped, at, malformed.length);
      System.arraycopy(
          signed,
          at + replacement.length,
          swapped,
          at + malformed.length,
          signed.length - at - replacement.length);

      VerificationReport report = fx.verify(swapped);

      assertRejected(report, Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_MALFORMED_JSON);
      assertThat(report.firstFailure().detail()).contains("not well-formed UTF-8");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void verify_whenPathHasDotDot_failsUnsafePath() {
    assertRejected(
        verifyWithPath("asset.x/../../etc/passwd"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathAbsolute_failsUnsafePath() {
    assertRejected(
        verifyWithPath("/etc/passwd"), Gate.MANIFEST_STRUCTURE, FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasBackslash_failsUnsafePath() {
    assertRejected(
        verifyWithPath("asset.x\\evil.js"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasNul_failsUnsafePath() {
    assertRejected(
        verifyWithPath("manifest.json\u0000.txt"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasNewline_failsUnsafePath() {
    // A newline would forge an extra line of the directory-hash input.
    assertRejected(
        verifyWithPath("a\n" + "0".repeat(64) + "  b"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasEmptySegment_failsUnsafePath() {
    assertRejected(
        verifyWithPath("asset.x//index.js"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasDotSegment_failsUnsafePath() {
    assertRejected(
        verifyWithPath("./manifest.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathNotNfc_failsUnsafePath() {
    assertRejected(
        verifyWithPath("cafe\u0301.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathHasDriveLetter_failsUnsafePath() {
    assertRejected(
        verifyWithPath("C:/Windows/evil.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_UNSAFE_PATH);
  }

  @Test
  void verify_whenPathsDifferOnlyInCase_failsCaseCollision() {
    assertRejected(
        verifyWithPath("Manifest.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_PATH_CASE_COLLISION);
  }

  @Test
  void verify_whenPathIsTheManifestItself_failsReservedPath() {
    assertRejected(
        verifyWithPath("artifact-manifest.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_RESERVED_PATH);
  }

  @Test
  void verify_whenPathUnderEvidenceFolder_failsReservedPath() {
    assertRejected(
        verifyWithPath("cairn-evidence/report.json"),
        Gate.MANIFEST_STRUCTURE,
        FailureCode.MANIFEST_RESERVED_PATH);
  }

  // ---------------------------------------------------------------- 2. SIGNATURE

  @Test
  void verify_whenSignerNotInTrustPolicy_failsSignerUntrusted() {
    ObjectNode m =
        ArtifactFixture.sign(fx.unsigned(), TestKeys.impostorClaiming("kms:alias/someone-else"));
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNER_UNTRUSTED);
  }

  @Test
  void verify_whenSignatureNotBase64_failsSignatureMalformed() {
    ObjectNode m = fx.signed();
    m.put("signature", "not base64 at all!");
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_MALFORMED);
  }

  @Test
  void verify_whenSignatureBase64Url_failsSignatureMalformed() {
    ObjectNode m = fx.signed();
    byte[] sig = Base64.getDecoder().decode(m.get("signature").textValue());
    m.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(sig) + "-_");
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_MALFORMED);
  }

  @Test
  void verify_whenSignatureHuge_failsSignatureMalformed() {
    ObjectNode m = fx.signed();
    m.put("signature", Base64.getEncoder().encodeToString(new byte[64 * 1024]));
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_MALFORMED);
  }

  @Test
  void verify_whenSignatureBase64Unpadded_failsSignatureMalformed() {
    ObjectNode m = fx.signed();
    String sig = m.get("signature").textValue();
    m.put("signature", sig.replace("=", "") + (sig.endsWith("=") ? "" : "A"));
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_MALFORMED);
  }

  @Test
  void verify_whenSignatureBase64HasNonZeroPadBits_failsSignatureMalformed() {
    // "QR==" decodes like "QQ==": a second spelling of the same bytes is refused.
    ObjectNode m = fx.signed();
    for (int i = 0; i < 50 && !m.get("signature").textValue().endsWith("="); i++) {
      m = fx.signed(); // ECDSA DER is 70 to 72 bytes: most lengths need padding
    }
    String sig = m.get("signature").textValue();
    assertThat(sig).endsWith("=");
    int at = sig.length() - (sig.endsWith("==") ? 3 : 2);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char tweaked = alphabet.charAt(alphabet.indexOf(sig.charAt(at)) ^ 1);
    String respelled = sig.substring(0, at) + tweaked + sig.substring(at + 1);
    assertThat(Base64.getDecoder().decode(respelled)).isEqualTo(Base64.getDecoder().decode(sig));
    m.put("signature", respelled);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_MALFORMED);
  }

  @Test
  void verify_whenSignedByUntrustedKeyClaimingTrustedIdentity_failsSignatureInvalid() {
    ObjectNode m = ArtifactFixture.sign(fx.unsigned(), TestKeys.impostorClaiming(TestKeys.ID_A));
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenSignatureFromAnotherManifest_failsSignatureInvalid() {
    ObjectNode other = fx.unsigned();
    other.put("commit", "fedcba9876543210fedcba9876543210fedcba98");
    String otherSignature = resign(other).get("signature").textValue();
    ObjectNode m = fx.signed();
    m.put("signature", otherSignature);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenGitSignatureVerifiedFlippedAfterSigning_failsSignatureInvalid() {
    ObjectNode unsignedCommit = fx.unsigned(withGitSigned(false));
    ObjectNode m = resign(unsignedCommit);
    m.put("git_signature_verified", true);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenCliVersionEditedAfterSigning_failsSignatureInvalid() {
    ObjectNode m = fx.signed();
    m.put("cdk_cli_version", "2.1148.2");
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenFileHashesAndDigestEditedAfterSigning_failsSignatureInvalid() {
    // The attacker rewrites a template and updates every hash, but cannot re-sign.
    ObjectNode signedBefore = fx.signed();
    fx.append(API_TEMPLATE, " ");
    ObjectNode m = fx.rehashed(signedBefore);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenSignedByAButIdentityClaimsB_failsSignatureInvalid() {
    ObjectNode m = fx.signed();
    m.put("signing_identity", TestKeys.ID_B);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenEcdsaSignatureTruncated_failsSignatureInvalid() {
    ObjectNode m = fx.signed();
    byte[] sig = Base64.getDecoder().decode(m.get("signature").textValue());
    m.put(
        "signature",
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sig, sig.length - 1)));
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenRsaSignatureUnderPgpIdentity_failsSignatureInvalid() {
    ObjectNode m = ArtifactFixture.sign(fx.unsigned(), TestKeys.rsaSigner());
    String rsaSignature = m.get("signature").textValue();
    ObjectNode claimed = ArtifactFixture.sign(fx.unsigned(), TestKeys.pgpSigner());
    claimed.put("signature", rsaSignature);
    assertRejected(fx.verify(claimed), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  @Test
  void verify_whenPgpSignatureOverOtherBytes_failsSignatureInvalid() {
    ObjectNode m = ArtifactFixture.sign(fx.unsigned(), TestKeys.pgpSigner());
    m.put("build_duration_seconds", 43);
    assertRejected(fx.verify(m), Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
  }

  // ---------------------------------------------------------------- 3. COMMIT_PROVENANCE

  private static dev.cairn.core.manifest.ManifestFactory.BuildFacts withGitSigned(boolean signed) {
    var f = ArtifactFixture.facts();
    return new dev.cairn.core.manifest.ManifestFactory.BuildFacts(
        f.service(),
        f.commit(),
        f.sourceRef(),
        signed,
        f.cdkCliVersion(),
        f.cdkContextHash(),
        f.cdkLibraryVersions(),
        f.buildTime(),
        f.buildDurationSeconds());
  }

  @Test
  void verify_whenCommitNotSigned_failsCommitNotSigned() {
    ObjectNode m = resign(fx.unsigned(withGitSigned(false)));
    assertRejected(fx.verify(m), Gate.COMMIT_PROVENANCE, FailureCode.COMMIT_NOT_SIGNED);
  }

  @Test
  void verify_whenCommitSignatureOnlyAsserted_failsCommitSignatureAsserted() {
    ObjectNode m = fx.unsigned();
    m.putObject("git_signature").put("method", "asserted");
    assertRejected(
        fx.verify(resign(m)), Gate.COMMIT_PROVENANCE, FailureCode.COMMIT_SIGNATURE_ASSERTED);
  }

  @Test
  void verify_whenManifestPredatesGitSignature_failsCommitSignatureAsserted() {
    ObjectNode m = fx.unsigned();
    m.remove("git_signature");
    assertRejected(
        fx.verify(resign(m)), Gate.COMMIT_PROVENANCE, FailureCode.COMMIT_SIGNATURE_ASSERTED);
  }

  @Test
  void verify_whenAssertedAndThePolicyAllowsIt_passesTheGate() {
    ObjectNode m = fx.unsigned();
    m.putObject("git_signature").put("method", "asserted");
    TrustPolicy allowing =
        TrustPolicy.parse(
            Json.compact(TestKeys.POLICY.toJson().put("allow_asserted_git_signature", true))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(fx.policy(allowing).verify(resign(m)).accepted()).isTrue();
  }

  @Test
  void verify_whenGitSignatureMethodUnknown_failsManifestFieldFormat() {
    ObjectNode m = fx.unsigned();
    m.putObject("git_signature").put("method", "trust-me");
    assertThat(fx.verify(resign(m)).accepted()).isFalse();
  }

  @Test
  void verify_whenBuiltFromFeatureBranch_failsSourceRefNotAllowed() {
    ObjectNode m = fx.unsigned();
    m.put("source_ref", "refs/heads/feature/x");
    assertRejected(
        fx.verify(resign(m)), Gate.COMMIT_PROVENANCE, FailureCode.SOURCE_REF_NOT_ALLOWED);
  }

  @Test
  void verify_whenRefOnlyPrefixedLikeMain_failsSourceRefNotAllowed() {
    ObjectNode m = fx.unsigned();
    m.put("source_ref", "refs/heads/main-evil");
    assertRejected(
        fx.verify(resign(m)), Gate.COMMIT_PROVENANCE, FailureCode.SOURCE_REF_NOT_ALLOWED);
  }

  @Test
  void verify_whenCommitNotTheLedgerCommit_failsCommitMismatch() {
    fx.expect(new Expectations(ArtifactFixture.SERVICE, "f".repeat(40), null, null));
    assertRejected(fx.verify(fx.signed()), Gate.COMMIT_PROVENANCE, FailureCode.COMMIT_MISMATCH);
  }

  @Test
  void verify_whenServiceNotTheLedgerService_failsServiceMismatch() {
    fx.expect(new Expectations("other-service", ArtifactFixture.COMMIT, null, null));
    assertRejected(fx.verify(fx.signed()), Gate.COMMIT_PROVENANCE, FailureCode.SERVICE_MISMATCH);
  }

  // ---------------------------------------------------------------- 4. FILE_INTEGRITY

  @Test
  void verify_whenFileMissing_failsFileIntegrity() {
    ObjectNode m = fx.signed();
    fx.delete("tree.json");
    VerificationReport r = fx.verify(m);
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_MISSING);
    assertThat(r.firstFailure().path()).isEqualTo("tree.json");
  }

  @Test
  void verify_whenFileModified_failsFileIntegrity() {
    ObjectNode m = fx.signed();
    fx.append(API_TEMPLATE, " ");
    VerificationReport r = fx.verify(m);
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_MODIFIED);
    assertThat(r.firstFailure().path()).isEqualTo(API_TEMPLATE);
  }

  @Test
  void verify_whenAssetFileModifiedSameSize_failsFileIntegrity() throws IOException {
    ObjectNode m = fx.signed();
    Path js = fx.file(ZIP_ASSET_DIR + "/index.js");
    byte[] b = Files.readAllBytes(js);
    b[0] ^= 1;
    Files.write(js, b);
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_MODIFIED);
  }

  @Test
  void verify_whenExtraFile_failsFileIntegrity() {
    ObjectNode m = fx.signed();
    fx.write("evil.template.json", "{}");
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_UNEXPECTED);
  }

  @Test
  void verify_whenExtraEmptyHiddenFileInAssetDir_failsFileIntegrity() {
    ObjectNode m = fx.signed();
    fx.write(ZIP_ASSET_DIR + "/.npmrc", "");
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_UNEXPECTED);
  }

  @Test
  void verify_whenSecondManifestSmuggledIntoCdkOut_failsFileIntegrity() {
    // The CLI lists reserved names unless the file is the manifest being verified.
    ObjectNode m = fx.signed();
    fx.write("artifact-manifest.json", "{}");
    VerificationReport r =
        fx.verify(
            bytes(m),
            LocalDirectoryArtifactSource.forVerification(fx.cdkOut, tmp.resolve("m.json")));
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_UNEXPECTED);
  }

  @Test
  void verify_whenFileSmuggledIntoEvidenceFolder_failsFileIntegrity() {
    ObjectNode m = fx.signed();
    fx.write("cairn-evidence/verification-report.json", "{\"verdict\":\"accepted\"}");
    VerificationReport r =
        fx.verify(
            bytes(m),
            LocalDirectoryArtifactSource.forVerification(fx.cdkOut, tmp.resolve("m.json")));
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_UNEXPECTED);
  }

  @Test
  void verify_whenFileReplacedBySymlink_failsFileSymlink() throws IOException {
    ObjectNode m = fx.signed();
    Path outside =
        Files.writeString(tmp.resolve("outside.json"), Files.readString(fx.file("tree.json")));
    fx.delete("tree.json");
    Files.createSymbolicLink(fx.file("tree.json"), outside);
    VerificationReport r = fx.verify(m);
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_SYMLINK);
    assertThat(r.firstFailure().path()).isEqualTo("tree.json");
  }

  @Test
  void verify_whenDirectoryReplacedBySymlink_failsFileSymlink() throws IOException {
    ObjectNode m = fx.signed();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.move(fx.file(ZIP_ASSET_DIR), outside.resolve("asset"));
    Files.createSymbolicLink(fx.file(ZIP_ASSET_DIR), outside.resolve("asset"));
    VerificationReport r = fx.verify(m);
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_SYMLINK);
    assertThat(r.firstFailure().path()).isEqualTo(ZIP_ASSET_DIR);
  }

  @Test
  void verify_whenFifoInArtifact_failsFileNotRegular() throws Exception {
    ObjectNode m = fx.signed();
    Process p = new ProcessBuilder("mkfifo", fx.file("pipe").toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo is available");
    VerificationReport r = fx.verify(m); // must not block on the FIFO
    assertRejected(r, Gate.FILE_INTEGRITY, FailureCode.FILE_NOT_REGULAR);
    assertThat(r.firstFailure().path()).isEqualTo("pipe");
  }

  @Test
  void verify_whenFileNameHasBackslashOnDisk_failsFileUnsafePath() {
    ObjectNode m = fx.signed();
    fx.write("evil\\name.json", "{}");
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_UNSAFE_PATH);
  }

  @Test
  void verify_whenFileNamesCollideIgnoringCaseOnDisk_failsFileUnsafePath() {
    ObjectNode m = fx.signed();
    fx.write("Tree.json", "{}");
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_UNSAFE_PATH);
  }

  @Test
  void verify_whenFileNameNotNfcOnDisk_failsFileUnsafePath() {
    ObjectNode m = fx.signed();
    fx.write("cafe\u0301.json", "{}");
    assertRejected(fx.verify(m), Gate.FILE_INTEGRITY, FailureCode.FILE_UNSAFE_PATH);
  }

  @Test
  void verify_whenFileUnreadable_failsFileUnreadable() {
    ObjectNode m = fx.signed();
    ArtifactSource real = new LocalDirectoryArtifactSource(fx.cdkOut);
    ArtifactSource flaky =
        new OpeningThrough(
            real,
            path -> {
              if (path.equals("tree.json")) {
                throw new java.nio.file.AccessDeniedException(path);
              }
            });
    assertRejected(fx.verify(bytes(m), flaky), Gate.FILE_INTEGRITY, FailureCode.FILE_UNREADABLE);
  }

  // ---------------------------------------------------------------- 5. ARTIFACT_DIGEST

  @Test
  void verify_whenArtifactSha256EditedAndResigned_failsArtifactDigestMismatch() {
    ObjectNode m = fx.unsigned();
    m.put("artifact_sha256", "ab".repeat(32));
    assertRejected(
        fx.verify(resign(m)), Gate.ARTIFACT_DIGEST, FailureCode.ARTIFACT_DIGEST_MISMATCH);
  }

  @Test
  void verify_whenLedgerRecordsAnotherDigest_failsArtifactDigestUnexpected() {
    fx.expect(new Expectations(null, null, "cd".repeat(32), null));
    assertRejected(
        fx.verify(fx.signed()), Gate.ARTIFACT_DIGEST, FailureCode.ARTIFACT_DIGEST_UNEXPECTED);
  }

  @Test
  void verify_whenPipelineHasNoLedgerDigest_failsArtifactDigestUnexpected() {
    fx.options(VerifierOptions.pipeline())
        .expect(new Expectations(null, null, null, ArtifactFixture.CONTEXT_HASH));
    assertRejected(
        fx.verify(fx.signed()), Gate.ARTIFACT_DIGEST, FailureCode.ARTIFACT_DIGEST_UNEXPECTED);
  }

  // ---------------------------------------------------------------- 6. CONTEXT_HASH

  @Test
  void verify_whenContextHashNotBlessed_failsContextHashMismatch() {
    fx.expect(new Expectations(null, null, null, "ef".repeat(32)));
    assertRejected(fx.verify(fx.signed()), Gate.CONTEXT_HASH, FailureCode.CONTEXT_HASH_MISMATCH);
  }

  @Test
  void verify_whenPipelineHasNoBlessedContext_failsContextHashMismatch() {
    ObjectNode m = fx.signed();
    String digest = m.get("artifact_sha256").textValue();
    fx.options(VerifierOptions.pipeline()).expect(new Expectations(null, null, digest, null));
    assertRejected(fx.verify(m), Gate.CONTEXT_HASH, FailureCode.CONTEXT_HASH_MISMATCH);
  }

  // ---------------------------------------------------------------- 7. CLI_VERSION

  @Test
  void verify_whenCliVersionNotApproved_failsCliVersion() {
    ObjectNode m = fx.unsigned();
    m.put("cdk_cli_version", "2.1000.0");
    assertRejected(fx.verify(resign(m)), Gate.CLI_VERSION, FailureCode.CLI_VERSION_NOT_ALLOWED);
  }

  // ---------------------------------------------------------------- 8. ASSET_INTEGRITY

  @Test
  void verify_whenAssemblyAssetNotDeclared_failsAssetUndeclared() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("assets")).remove(ZIP_ASSET_ID);
    assertRejected(fx.verify(resign(m)), Gate.ASSET_INTEGRITY, FailureCode.ASSET_UNDECLARED);
  }

  @Test
  void verify_whenDeclaredAssetUnknown_failsAssetUnknown() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("assets")).putObject("f".repeat(64)).put("hash", "f".repeat(64));
    assertRejected(fx.verify(resign(m)), Gate.ASSET_INTEGRITY, FailureCode.ASSET_UNKNOWN);
  }

  @Test
  void verify_whenDeclaredAssetHashDiffers_failsAssetHashMismatch() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("assets").get(ZIP_ASSET_ID)).put("hash", "0".repeat(64));
    assertRejected(fx.verify(resign(m)), Gate.ASSET_INTEGRITY, FailureCode.ASSET_HASH_MISMATCH);
  }

  @Test
  void verify_whenAssetSourceNotInArtifact_failsAssetSourceMissing() throws IOException {
    ObjectNode m = fx.unsigned();
    fx.write(
        API_ASSETS,
        Files.readString(fx.file(API_ASSETS)).replace("\"path\": \"asset.", "\"path\": \"gone."));
    assertRejected(
        fx.verify(resign(fx.rehashed(m))), Gate.ASSET_INTEGRITY, FailureCode.ASSET_SOURCE_MISSING);
  }

  @Test
  void verify_whenDockerAssetBuiltByExecutable_failsAssetSourceMissing() throws IOException {
    ObjectNode m = fx.unsigned();
    String assets = Files.readString(fx.file(API_ASSETS));
    assets =
        assets.replace(
            "\"dockerImages\": {}",
            "\"dockerImages\": {\"img1\": {\"source\": {\"executable\": [\"sh\", \"-c\", \"curl evil\"]},"
                + " \"destinations\": {\"d\": {\"repositoryName\": \"repo\", \"imageTag\": \"img1\"}}}}");
    fx.write(API_ASSETS, assets);
    ((ObjectNode) m.get("assets")).putObject("img1").put("hash", "1".repeat(64));
    assertRejected(
        fx.verify(resign(fx.rehashed(m))), Gate.ASSET_INTEGRITY, FailureCode.ASSET_SOURCE_MISSING);
  }

  @Test
  void verify_whenAssetS3UriNotADestination_failsAssetDestinationMismatch() {
    ObjectNode m = fx.unsigned();
    ((ObjectNode) m.get("assets").get(ZIP_ASSET_ID))
        .put("s3Uri", "s3://attacker-bucket/" + ZIP_ASSET_ID + ".zip");
    assertRejected(
        fx.verify(resign(m)), Gate.ASSET_INTEGRITY, FailureCode.ASSET_DESTINATION_MISMATCH);
  }

  @Test
  void verify_whenAssetManifestNotJson_failsAssetManifestInvalid() {
    ObjectNode m = fx.unsigned();
    fx.write(API_ASSETS, "{\"files\": ");
    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
  }

  @Test
  void verify_whenAssetManifestHasDuplicateKey_failsAssetManifestInvalid() throws IOException {
    ObjectNode m = fx.unsigned();
    fx.write(
        API_ASSETS, Files.readString(fx.file(API_ASSETS)).replaceFirst("\\{", "{\"files\": {},"));
    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
  }

  @Test
  void verify_whenAssetSourcePathTraverses_failsAssetManifestInvalid() throws IOException {
    ObjectNode m = fx.unsigned();
    fx.write(
        API_ASSETS,
        Files.readString(fx.file(API_ASSETS))
            .replace("\"path\": \"asset.", "\"path\": \"../asset."));
    assertRejected(
        fx.verify(resign(fx.rehashed(m))),
        Gate.ASSET_INTEGRITY,
        FailureCode.ASSET_MANIFEST_INVALID);
  }

  @Test
  void verify_whenFileAddedUnderAssetDirWithUffffName_failsAssetHashMismatch() {
    // The directory asset's hash must cover every file under it, whatever its name sorts like.
    ObjectNode m = fx.unsigned();
    fx.write(ZIP_ASSET_DIR + "/\uffffpayload.js", "require('child_process')");
    assertRejected(
        fx.verify(resign(fx.rehashed(m))), Gate.ASSET_INTEGRITY, FailureCode.ASSET_HASH_MISMATCH);
  }

  /** An input stream of {@code size} spaces that counts what was read. */
  static final class CountingStream extends InputStream {
    private final long size;
    long read;

    CountingStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return ' ';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - read);
      java.util.Arrays.fill(b, off, off + n, (byte) ' ');
      read += n;
      return n;
    }
  }
}
