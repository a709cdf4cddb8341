package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.PgpKeys;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** key generate → trust init → manifest create → sign → verify, and the exit-code contract. */
class ManifestRoundTripTest {

  @TempDir Path tmp;
  CliArtifact a;

  @BeforeEach
  void setUp() {
    a = new CliArtifact(tmp);
  }

  @Test
  void create_writesManifestThatValidatesAgainstSchema() throws Exception {
    var m = Json.parse(Files.readAllBytes(a.manifest));
    assertThat(CliRunner.violations("artifact-manifest.v1.json", m)).isEmpty();
    assertThat(m.get("file_hashes").size()).isEqualTo(17);
    assertThat(m.get("assets").size()).isEqualTo(5);
    assertThat(m.get("cdk_context_hash").textValue()).isEqualTo(a.contextHash());
    assertThat(m.get("signing_identity").textValue()).isEqualTo(CliArtifact.IDENTITY);
  }

  @Test
  void create_withContextBlessFile_signsTheBlessIntoTheManifest() throws Exception {
    Path bless = tmp.resolve("cairn-context-bless.json");
    Files.writeString(
        bless,
        "{\"object_key\":\"stage/20261206T093000Z.context.json\",\"version_id\":\"v42\","
            + "\"cdk_context_hash\":\""
            + a.contextHash()
            + "\"}\n");

    var r = a.create("true", "refs/heads/main", "2.1148.1", "--context-bless", bless.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    a.sign();
    var m = Json.parse(Files.readAllBytes(a.manifest));
    assertThat(CliRunner.violations("artifact-manifest.v1.json", m)).isEmpty();
    assertThat(a.verify("--expected-context-hash", a.contextHash()).exit())
        .isEqualTo(CairnCli.EXIT_OK);
    assertThat(m.at("/cdk_context_bless/object_key").asText())
        .isEqualTo("stage/20261206T093000Z.context.json");
    assertThat(m.at("/cdk_context_bless/version_id").asText()).isEqualTo("v42");
  }

  @Test
  void create_whenContextBlessIsOfOtherBytes_exitsTwo() throws Exception {
    Path bless = tmp.resolve("cairn-context-bless.json");
    Files.writeString(
        bless,
        "{\"object_key\":\"stage/20261206T093000Z.context.json\",\"version_id\":\"v42\","
            + "\"cdk_context_hash\":\""
            + "ab".repeat(32)
            + "\"}\n");

    var r = a.create("true", "refs/heads/main", "2.1148.1", "--context-bless", bless.toString());

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("synthesize with the context you fetched");
  }

  @Test
  void create_withContextObjectAndVersion_signsTheBless_andRefusesOneWithoutTheOther()
      throws Exception {
    var ok =
        a.create(
            "true",
            "refs/heads/main",
            "2.1148.1",
            "--context-object",
            "prod/20261206T093000Z.context.json",
            "--context-version-id",
            "v7");
    assertThat(ok.exit()).as(ok.toString()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(
            Json.parse(Files.readAllBytes(a.manifest)).at("/cdk_context_bless/version_id").asText())
        .isEqualTo("v7");

    var half =
        a.create(
            "true",
            "refs/heads/main",
            "2.1148.1",
            "--context-object",
            "prod/20261206T093000Z.context.json");
    assertThat(half.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(half.err()).contains("--context-version-id");
  }

  @Test
  void roundTrip_whenAppHasAStageWithAssetsInTheRootFolder_createSignVerifyExitZero()
      throws Exception {
    // The defect: manifest create exited 2, "unsafe source path ../asset.<hash>".
    CliArtifact staged = new CliArtifact(tmp.resolve("staged"), true);
    assertThat(Files.readString(staged.cdkOut.resolve("assembly-Prod/hello-prod-api.assets.json")))
        .contains("\"../asset.");

    var r = staged.verify("--expected-context-hash", staged.contextHash());

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    assertThat(r.out()).containsPattern("pass\\s+ASSET_INTEGRITY");
    assertThat(staged.manifestJson().get("file_hashes").has("assembly-Prod/manifest.json"))
        .isTrue();
    assertThat(staged.manifestJson().get("assets").size()).isEqualTo(5);
  }

  @Test
  void create_whenStageAssetClimbsBeyondTheRoot_exitsTwo() throws Exception {
    CliArtifact staged = new CliArtifact(tmp.resolve("staged"), true);
    Path assets = staged.cdkOut.resolve("assembly-Prod/hello-prod-api.assets.json");
    CliArtifact.write(assets, Files.readString(assets).replace("\"../asset.", "\"../../asset."));

    var r = staged.create("true", "refs/heads/main", "2.1148.1");

    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("unsafe source path").contains("leaves the artifact root");
  }

  @Test
  void verify_text_namesEveryGateAndExitsZero() {
    var r = a.verify("--expected-context-hash", a.contextHash());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_OK);
    for (String gate :
        new String[] {
          "MANIFEST_STRUCTURE",
          "SIGNATURE",
          "COMMIT_PROVENANCE",
          "FILE_INTEGRITY",
          "ARTIFACT_DIGEST",
          "CONTEXT_HASH",
          "CLI_VERSION",
          "ASSET_INTEGRITY"
        }) {
      assertThat(r.out()).containsPattern("pass\\s+" + gate);
    }
    assertThat(r.out()).contains("ACCEPTED hello-service @ " + CliArtifact.COMMIT);
  }

  @Test
  void verify_json_acceptedReportValidatesAgainstSchema() {
    var r = a.verifyJson();
    assertThat(r.exit()).isZero();
    assertThat(r.json().get("verdict").textValue()).isEqualTo("accepted");
    assertThat(r.json().get("gates")).hasSize(8);
    assertThat(r.json().get("failures")).isEmpty();
    assertThat(r.json().get("digests").get("artifact_sha256").textValue())
        .isEqualTo(a.manifestJson().get("artifact_sha256").textValue());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void verify_json_whenTampered_exitsOneWithGateAndSchemaValidReport() {
    CliArtifact.write(a.cdkOut.resolve("hello-prod-api.template.json"), "{}");
    var r = a.verifyJson();
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.json().get("verdict").textValue()).isEqualTo("rejected");
    assertThat(r.json().get("failures").get(0).get("gate").textValue()).isEqualTo("FILE_INTEGRITY");
    assertThat(r.json().get("failures").get(0).get("code").textValue()).isEqualTo("FILE_MODIFIED");
    assertThat(r.json().get("failures").get(0).get("path").textValue())
        .isEqualTo("hello-prod-api.template.json");
  }

  @Test
  void verify_text_whenTampered_exitsOneAndNamesGate() {
    CliArtifact.write(a.cdkOut.resolve("tree.json"), "{}");
    var r = a.verify();
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.out()).contains("REJECTED at FILE_INTEGRITY").contains("FILE_MODIFIED");
  }

  @Test
  void verify_whenManifestFileAbsent_exitsTwoNamingThePath() {
    Path absent = tmp.resolve("nope.json");
    var r =
        CliRunner.run(
            "manifest",
            "verify",
            "--cdk-out",
            a.cdkOut.toString(),
            "--manifest",
            absent.toString(),
            "--trust-policy",
            a.policy.toString(),
            "--format",
            "json");
    // An I/O error, as the help promises (exit 2), not a rejection: nothing was verified.
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("manifest " + absent + " does not exist");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void verify_whenManifestIsFifo_exitsTwoWithoutBlocking() throws Exception {
    Path fifo = tmp.resolve("manifest.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo failed");
    var r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(20),
            () ->
                CliRunner.run(
                    "manifest",
                    "verify",
                    "--cdk-out",
                    a.cdkOut.toString(),
                    "--manifest",
                    fifo.toString(),
                    "--trust-policy",
                    a.policy.toString()));
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("manifest " + fifo + " is not a regular file");
  }

  @Test
  void verify_when100MbSparseManifest_exitsOneTooLargeWithoutReadingIt() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(a.manifest.toFile(), "rw")) {
      f.setLength(100L * 1024 * 1024);
    }
    var r = a.verifyJson();
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.json().get("failures").get(0).get("code").textValue())
        .isEqualTo("MANIFEST_TOO_LARGE");
    assertThat(r.json().get("digests").has("manifest_sha256")).isFalse();
  }

  @Test
  void verify_whenManifestIsAFifo_exitsTwoWithoutBlocking() throws Exception {
    Path fifo = tmp.resolve("fifo.json");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
    var r =
        CliRunner.run(
            "manifest",
            "verify",
            "--cdk-out",
            a.cdkOut.toString(),
            "--manifest",
            fifo.toString(),
            "--trust-policy",
            a.policy.toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("not a regular file");
  }

  @Test
  void verify_whenTrustPolicyMissing_exitsTwo() {
    var r =
        CliRunner.run(
            "manifest",
            "verify",
            "--cdk-out",
            a.cdkOut.toString(),
            "--manifest",
            a.manifest.toString(),
            "--trust-policy",
            tmp.resolve("none.json").toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void verify_whenTrustPolicyInvalid_exitsTwo() {
    CliArtifact.write(a.policy, "{\"schema_version\":\"1\"}");
    assertThat(a.verify().exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  @Test
  void verify_whenCdkOutNotADirectory_exitsTwo() {
    var r =
        CliRunner.run(
            "manifest",
            "verify",
            "--cdk-out",
            a.manifest.toString(),
            "--manifest",
            a.manifest.toString(),
            "--trust-policy",
            a.policy.toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  @Test
  void verify_whenExpectedDigestNotHex_exitsTwo() {
    assertThat(a.verify("--expected-artifact-sha256", "XYZ").exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  @Test
  void verify_whenRequiredOptionMissing_exitsTwo() {
    var r = CliRunner.run("manifest", "verify", "--cdk-out", a.cdkOut.toString());
    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(r.err()).contains("Missing required option");
  }

  @Test
  void verify_withOneAndTwoThreads_sameDigest() {
    var one = a.verifyJson("--threads", "1");
    var two = a.verifyJson("--threads", "2");
    assertThat(one.exit()).isZero();
    assertThat(one.json().get("digests")).isEqualTo(two.json().get("digests"));
  }

  @Test
  void verify_whenThreadsZero_exitsTwo() {
    assertThat(a.verify("--threads", "0").exit()).isEqualTo(CairnCli.EXIT_USAGE);
  }

  @Test
  void verify_whenManifestKeptInsideCdkOut_accepts() throws Exception {
    Path inside = a.cdkOut.resolve("artifact-manifest.json");
    Files.move(a.manifest, inside);
    var r =
        CliRunner.run(
            "manifest",
            "verify",
            "--cdk-out",
            a.cdkOut.toString(),
            "--manifest",
            inside.toString(),
            "--trust-policy",
            a.policy.toString(),
            "--format",
            "json");
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  @Test
  void sign_withRsaKey_verifies() {
    Path priv = tmp.resolve("rsa.pem");
    Path pub = tmp.resolve("rsa.pub");
    CliArtifact.ok(
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "rsa-3072",
            "--private-key-out",
            priv.toString(),
            "--public-key-out",
            pub.toString()));
    CliArtifact.ok(
        CliRunner.run(
            "trust",
            "init",
            "--force",
            "--out",
            a.policy.toString(),
            "--signer",
            "kms:alias/rsa=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main",
            "--allow-asserted-git-signature"));
    CliArtifact.ok(
        CliRunner.run(
            "manifest",
            "sign",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            "kms:alias/rsa",
            "--private-key-pem",
            priv.toString()));
    var r = a.verifyJson();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("signer").get("algorithm").textValue()).isEqualTo("RSASSA_PSS_SHA_256");
  }

  @Test
  void sign_withOpenPgpKey_verifies() throws Exception {
    var pgp = PgpKeys.generate("ci <ci@example.test>", new char[0]);
    Path secret = Files.writeString(tmp.resolve("sec.asc"), pgp.armoredSecretKey());
    Path pub = Files.writeString(tmp.resolve("pub.asc"), pgp.armoredPublicKey());
    String id = "pgp:" + pgp.fingerprint();
    CliArtifact.ok(
        CliRunner.run(
            "trust",
            "init",
            "--force",
            "--out",
            a.policy.toString(),
            "--signer",
            id + "=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main",
            "--allow-asserted-git-signature"));
    CliArtifact.ok(
        CliRunner.run(
            "manifest",
            "sign",
            "--manifest",
            a.manifest.toString(),
            "--signing-identity",
            id,
            "--pgp-secret-key",
            secret.toString()));
    var r = a.verifyJson();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("signer").get("algorithm").textValue()).isEqualTo("OPENPGP");
  }

  @Test
  void create_whenCdkOutHasSymlink_exitsTwo() throws Exception {
    Files.createSymbolicLink(a.cdkOut.resolve("link.json"), a.cdkOut.resolve("tree.json"));
    assertThat(a.create("true", "refs/heads/main", "2.1148.1").exit())
        .isEqualTo(CairnCli.EXIT_USAGE);
  }
}
