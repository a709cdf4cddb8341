package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a hidden corpus of tampered artifacts would hold, run through {@code cairn manifest verify
 * --format json} exactly as the corpus is: each case is rejected (exit 1) at the named gate with
 * the named code, and the report validates against its schema.
 */
class ManifestVerifyTamperCorpusTest {

  @TempDir Path tmp;

  static final String ZIP_DIR =
      "asset.aa89a8e20060173d8ba727e5311035c8096424f83e6e61453449af8f3e222d68";
  static final String ZIP_ID = "aa89a8e20060173d8ba727e5311035c8096424f83e6e61453449af8f3e222d68";

  record Case(String gate, String code, Consumer<CliArtifact> tamper, String[] extra) {}

  static Arguments c(
      String name, String gate, String code, Consumer<CliArtifact> tamper, String... extra) {
    return Arguments.of(name, new Case(gate, code, tamper, extra));
  }

  static String text(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void rawManifest(CliArtifact a, java.util.function.UnaryOperator<String> edit) {
    CliArtifact.write(a.manifest, edit.apply(text(a.manifest)));
  }

  /** Edits the manifest and re-signs it with the trusted key (a compromised-CI shaped case). */
  static void resigned(CliArtifact a, Consumer<ObjectNode> edit) {
    ObjectNode m = a.manifestJson();
    edit.accept(m);
    a.writeManifest(m);
    a.sign();
  }

  /** Edits the manifest without re-signing. */
  static void edited(CliArtifact a, Consumer<ObjectNode> edit) {
    ObjectNode m = a.manifestJson();
    edit.accept(m);
    a.writeManifest(m);
  }

  static void symlink(Path link, Path target) {
    try {
      Files.delete(link);
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> corpus() {
    return Stream.of(
        // 1. MANIFEST_STRUCTURE
        c(
            "manifest empty",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MALFORMED_JSON",
            a -> CliArtifact.write(a.manifest, "")),
        c(
            "manifest truncated",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MALFORMED_JSON",
            a -> rawManifest(a, s -> s.substring(0, s.length() - 40))),
        c(
            "manifest with comment",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MALFORMED_JSON",
            a -> rawManifest(a, s -> "// hi\n" + s)),
        c(
            "manifest is YAML",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MALFORMED_JSON",
            a -> CliArtifact.write(a.manifest, "schema_version: '1'\n")),
        c(
            "manifest re-encoded as UTF-16",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MALFORMED_JSON",
            a -> {
              try {
                Files.write(a.manifest, text(a.manifest).getBytes(StandardCharsets.UTF_16));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        c(
            "duplicate key last-wins bait",
            "MANIFEST_STRUCTURE",
            "MANIFEST_DUPLICATE_KEY",
            a ->
                rawManifest(
                    a, s -> s.replaceFirst("\\{", "{\"source_ref\" : \"refs/heads/evil\",\n"))),
        c(
            "duplicate nested key",
            "MANIFEST_STRUCTURE",
            "MANIFEST_DUPLICATE_KEY",
            a ->
                rawManifest(
                    a,
                    s ->
                        s.replace(
                            "\"file_hashes\" : {",
                            "\"file_hashes\" : {\n \"tree.json\" : \"" + "0".repeat(64) + "\","))),
        c(
            "100k nested arrays",
            "MANIFEST_STRUCTURE",
            "MANIFEST_TOO_DEEP",
            a -> CliArtifact.write(a.manifest, "[".repeat(100_000))),
        c(
            "top-level array",
            "MANIFEST_STRUCTURE",
            "MANIFEST_NOT_OBJECT",
            a -> CliArtifact.write(a.manifest, "[]")),
        c(
            "null document",
            "MANIFEST_STRUCTURE",
            "MANIFEST_NOT_OBJECT",
            a -> CliArtifact.write(a.manifest, "null")),
        c(
            "schema_version 2",
            "MANIFEST_STRUCTURE",
            "MANIFEST_UNSUPPORTED_SCHEMA_VERSION",
            a -> resigned(a, m -> m.put("schema_version", "2"))),
        c(
            "signature field removed",
            "MANIFEST_STRUCTURE",
            "MANIFEST_MISSING_FIELD",
            a -> edited(a, m -> m.remove("signature"))),
        c(
            "unknown field added and re-signed",
            "MANIFEST_STRUCTURE",
            "MANIFEST_UNKNOWN_FIELD",
            a -> resigned(a, m -> m.put("skip_checks", true))),
        c(
            "git_signature_verified as string",
            "MANIFEST_STRUCTURE",
            "MANIFEST_FIELD_TYPE",
            a -> resigned(a, m -> m.put("git_signature_verified", "true"))),
        c(
            "short commit",
            "MANIFEST_STRUCTURE",
            "MANIFEST_FIELD_FORMAT",
            a -> resigned(a, m -> m.put("commit", "0123456"))),
        c(
            "empty signature",
            "SIGNATURE",
            "SIGNATURE_MALFORMED",
            a -> edited(a, m -> m.put("signature", ""))),
        c(
            "path traversal in file_hashes",
            "MANIFEST_STRUCTURE",
            "MANIFEST_UNSAFE_PATH",
            a ->
                resigned(
                    a,
                    m ->
                        ((ObjectNode) m.get("file_hashes"))
                            .put("../../etc/passwd", "0".repeat(64)))),
        c(
            "absolute path in file_hashes",
            "MANIFEST_STRUCTURE",
            "MANIFEST_UNSAFE_PATH",
            a ->
                resigned(
                    a,
                    m -> ((ObjectNode) m.get("file_hashes")).put("/etc/passwd", "0".repeat(64)))),
        c(
            "case twin in file_hashes",
            "MANIFEST_STRUCTURE",
            "MANIFEST_PATH_CASE_COLLISION",
            a ->
                resigned(
                    a, m -> ((ObjectNode) m.get("file_hashes")).put("TREE.json", "0".repeat(64)))),
        c(
            "manifest lists itself",
            "MANIFEST_STRUCTURE",
            "MANIFEST_RESERVED_PATH",
            a ->
                resigned(
                    a,
                    m ->
                        ((ObjectNode) m.get("file_hashes"))
                            .put("artifact-manifest.json", "0".repeat(64)))),
        // 2. SIGNATURE
        c(
            "signing_identity not trusted",
            "SIGNATURE",
            "SIGNER_UNTRUSTED",
            a -> edited(a, m -> m.put("signing_identity", "kms:alias/attacker"))),
        c(
            "signature not base64",
            "SIGNATURE",
            "SIGNATURE_MALFORMED",
            a -> edited(a, m -> m.put("signature", "%%%not-base64%%%"))),
        c(
            "signature random bytes",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a ->
                edited(
                    a,
                    m ->
                        m.put(
                            "signature",
                            java.util.Base64.getEncoder().encodeToString(new byte[72])))),
        c(
            "git_signature_verified flipped after signing",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a -> {
              CliArtifact.ok(a.create("false", "refs/heads/main", "2.1148.1"));
              a.sign();
              edited(a, m -> m.put("git_signature_verified", true));
            }),
        c(
            "cdk_cli_version edited after signing",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a -> edited(a, m -> m.put("cdk_cli_version", "2.1148.2"))),
        c(
            "source_ref edited after signing",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a -> {
              CliArtifact.ok(a.create("true", "refs/heads/dev", "2.1148.1"));
              a.sign();
              edited(a, m -> m.put("source_ref", "refs/heads/main"));
            }),
        c(
            "file and hashes rewritten without key",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a -> {
              CliArtifact.write(a.cdkOut.resolve("tree.json"), "{}");
              edited(
                  a,
                  m ->
                      ((ObjectNode) m.get("file_hashes"))
                          .put(
                              "tree.json",
                              dev.cairn.core.integrity.Sha256.hex(
                                  "{}".getBytes(StandardCharsets.UTF_8))));
            }),
        c(
            "signed by untrusted key claiming trusted identity",
            "SIGNATURE",
            "SIGNATURE_INVALID",
            a -> {
              Path k = a.dir.resolve("evil.pem");
              CliArtifact.ok(
                  CliRunner.run(
                      "key",
                      "generate",
                      "--algorithm",
                      "ecdsa-p256",
                      "--private-key-out",
                      k.toString(),
                      "--public-key-out",
                      a.dir.resolve("evil.pub").toString()));
              CliArtifact.ok(
                  CliRunner.run(
                      "manifest",
                      "sign",
                      "--manifest",
                      a.manifest.toString(),
                      "--signing-identity",
                      CliArtifact.IDENTITY,
                      "--private-key-pem",
                      k.toString()));
            }),
        // 3. COMMIT_PROVENANCE
        c(
            "commit not signed",
            "COMMIT_PROVENANCE",
            "COMMIT_NOT_SIGNED",
            a -> {
              CliArtifact.ok(a.create("false", "refs/heads/main", "2.1148.1"));
              a.sign();
            }),
        c(
            "built from a feature branch",
            "COMMIT_PROVENANCE",
            "SOURCE_REF_NOT_ALLOWED",
            a -> {
              CliArtifact.ok(a.create("true", "refs/heads/feature", "2.1148.1"));
              a.sign();
            }),
        c(
            "built from a tag",
            "COMMIT_PROVENANCE",
            "SOURCE_REF_NOT_ALLOWED",
            a -> {
              CliArtifact.ok(a.create("true", "refs/tags/main", "2.1148.1"));
              a.sign();
            }),
        c(
            "commit is not the published one",
            "COMMIT_PROVENANCE",
            "COMMIT_MISMATCH",
            a -> {},
            "--expected-commit",
            "f".repeat(40)),
        c(
            "service is not the published one",
            "COMMIT_PROVENANCE",
            "SERVICE_MISMATCH",
            a -> {},
            "--expected-service",
            "other"),
        // 4. FILE_INTEGRITY
        c(
            "template modified",
            "FILE_INTEGRITY",
            "FILE_MODIFIED",
            a -> CliArtifact.write(a.cdkOut.resolve("hello-prod-api.template.json"), "{}")),
        c(
            "asset code modified",
            "FILE_INTEGRITY",
            "FILE_MODIFIED",
            a -> CliArtifact.write(a.cdkOut.resolve(ZIP_DIR + "/index.js"), "evil()")),
        c(
            "file deleted",
            "FILE_INTEGRITY",
            "FILE_MISSING",
            a -> a.cdkOut.resolve("manifest.json").toFile().delete()),
        c(
            "extra stack template",
            "FILE_INTEGRITY",
            "FILE_UNEXPECTED",
            a -> CliArtifact.write(a.cdkOut.resolve("evil.template.json"), "{}")),
        c(
            "extra file in asset dir",
            "FILE_INTEGRITY",
            "FILE_UNEXPECTED",
            a -> CliArtifact.write(a.cdkOut.resolve(ZIP_DIR + "/backdoor.js"), "x")),
        c(
            "nested cdk.out copy",
            "FILE_INTEGRITY",
            "FILE_UNEXPECTED",
            a -> CliArtifact.write(a.cdkOut.resolve("sub/cdk.out/manifest.json"), "{}")),
        c(
            "second manifest smuggled in cdk.out",
            "FILE_INTEGRITY",
            "FILE_UNEXPECTED",
            a -> CliArtifact.write(a.cdkOut.resolve("artifact-manifest.json"), "{}")),
        c(
            "file smuggled in evidence folder",
            "FILE_INTEGRITY",
            "FILE_UNEXPECTED",
            a -> CliArtifact.write(a.cdkOut.resolve("cairn-evidence/x.json"), "{}")),
        c(
            "file replaced by symlink to identical copy",
            "FILE_INTEGRITY",
            "FILE_SYMLINK",
            a -> {
              Path copy = a.dir.resolve("tree-copy.json");
              CliArtifact.write(copy, text(a.cdkOut.resolve("tree.json")));
              symlink(a.cdkOut.resolve("tree.json"), copy);
            }),
        c(
            "asset dir replaced by symlink",
            "FILE_INTEGRITY",
            "FILE_SYMLINK",
            a -> {
              try {
                Path moved = a.dir.resolve("moved");
                Files.move(a.cdkOut.resolve(ZIP_DIR), moved);
                Files.createSymbolicLink(a.cdkOut.resolve(ZIP_DIR), moved);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        c(
            "dangling symlink added",
            "FILE_INTEGRITY",
            "FILE_SYMLINK",
            a -> {
              try {
                Files.createSymbolicLink(a.cdkOut.resolve("dangling"), a.dir.resolve("nowhere"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }),
        c(
            "fifo added",
            "FILE_INTEGRITY",
            "FILE_NOT_REGULAR",
            a -> {
              try {
                assertThat(
                        new ProcessBuilder("mkfifo", a.cdkOut.resolve("fifo").toString())
                            .start()
                            .waitFor())
                    .isZero();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            }),
        c(
            "case twin on disk",
            "FILE_INTEGRITY",
            "FILE_UNSAFE_PATH",
            a -> CliArtifact.write(a.cdkOut.resolve("Manifest.json"), "{}")),
        c(
            "newline in a file name",
            "FILE_INTEGRITY",
            "FILE_UNSAFE_PATH",
            a -> CliArtifact.write(a.cdkOut.resolve("a\nb"), "")),
        // 5. ARTIFACT_DIGEST
        c(
            "artifact_sha256 edited and re-signed",
            "ARTIFACT_DIGEST",
            "ARTIFACT_DIGEST_MISMATCH",
            a -> resigned(a, m -> m.put("artifact_sha256", "ab".repeat(32)))),
        c(
            "ledger digest differs",
            "ARTIFACT_DIGEST",
            "ARTIFACT_DIGEST_UNEXPECTED",
            a -> {},
            "--expected-artifact-sha256",
            "cd".repeat(32)),
        // 6. CONTEXT_HASH
        c(
            "context not blessed",
            "CONTEXT_HASH",
            "CONTEXT_HASH_MISMATCH",
            a -> {},
            "--expected-context-hash",
            "ef".repeat(32)),
        // 7. CLI_VERSION
        c(
            "cdk cli version not approved",
            "CLI_VERSION",
            "CLI_VERSION_NOT_ALLOWED",
            a -> {
              CliArtifact.ok(a.create("true", "refs/heads/main", "2.1000.0"));
              a.sign();
            }),
        // 8. ASSET_INTEGRITY
        c(
            "asset undeclared",
            "ASSET_INTEGRITY",
            "ASSET_UNDECLARED",
            a -> resigned(a, m -> ((ObjectNode) m.get("assets")).remove(ZIP_ID))),
        c(
            "asset unknown",
            "ASSET_INTEGRITY",
            "ASSET_UNKNOWN",
            a ->
                resigned(
                    a,
                    m ->
                        ((ObjectNode) m.get("assets"))
                            .putObject("f".repeat(64))
                            .put("hash", "f".repeat(64)))),
        c(
            "asset hash edited",
            "ASSET_INTEGRITY",
            "ASSET_HASH_MISMATCH",
            a ->
                resigned(
                    a,
                    m -> ((ObjectNode) m.get("assets").get(ZIP_ID)).put("hash", "0".repeat(64)))),
        c(
            "asset destination elsewhere",
            "ASSET_INTEGRITY",
            "ASSET_DESTINATION_MISMATCH",
            a ->
                resigned(
                    a,
                    m ->
                        ((ObjectNode) m.get("assets").get(ZIP_ID))
                            .put("s3Uri", "s3://attacker/x.zip"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void verify_rejectsTamperedArtifactAtItsGate(String name, Case tc) {
    CliArtifact a = new CliArtifact(tmp);
    tc.tamper().accept(a);
    CliRunner.Result r = a.verifyJson(tc.extra());
    assertThat(r.exit()).as(r.toString()).isEqualTo(CairnCli.EXIT_FAILED);
    var report = r.json();
    assertThat(report.get("verdict").textValue()).isEqualTo("rejected");
    assertThat(report.get("failures").get(0).get("gate").textValue())
        .as(r.out())
        .isEqualTo(tc.gate());
    assertThat(report.get("failures").get(0).get("code").textValue())
        .as(r.out())
        .isEqualTo(tc.code());
    for (var g : report.get("gates")) {
      String status = g.get("status").textValue();
      if (g.get("gate").textValue().equals(tc.gate())) {
        assertThat(status).isEqualTo("failed");
      } else {
        assertThat(status).isIn("passed", "not_evaluated");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVariants")
  void verify_acceptsValidVariant(String name, Consumer<CliArtifact> variant) {
    CliArtifact a = new CliArtifact(tmp);
    variant.accept(a);
    CliRunner.Result r = a.verifyJson();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("verdict").textValue()).isEqualTo("accepted");
  }

  static Stream<Arguments> validVariants() {
    return Stream.of(
        Arguments.of("as signed", (Consumer<CliArtifact>) a -> {}),
        Arguments.of(
            "compact one-line manifest",
            (Consumer<CliArtifact>)
                a -> CliArtifact.write(a.manifest, Json.compact(a.manifestJson()))),
        Arguments.of(
            "keys in reverse order, CRLF",
            (Consumer<CliArtifact>)
                a -> {
                  ObjectNode m = a.manifestJson();
                  ObjectNode r = Json.object();
                  var names = new java.util.ArrayList<String>();
                  m.fieldNames().forEachRemaining(names::add);
                  java.util.Collections.reverse(names);
                  names.forEach(n -> r.set(n, m.get(n)));
                  CliArtifact.write(a.manifest, Json.pretty(r).replace("\n", "\r\n"));
                }),
        Arguments.of(
            "UTF-8 BOM",
            (Consumer<CliArtifact>)
                a -> CliArtifact.write(a.manifest, "\ufeff" + text(a.manifest))),
        Arguments.of(
            "empty directory added",
            (Consumer<CliArtifact>) a -> a.cdkOut.resolve("empty/dir").toFile().mkdirs()),
        Arguments.of(
            "unicode file name, re-created",
            (Consumer<CliArtifact>)
                a -> {
                  CliArtifact.write(a.cdkOut.resolve("r\u00e9sum\u00e9.json"), "{}");
                  CliArtifact.ok(a.create("true", "refs/heads/main", "2.1148.1"));
                  a.sign();
                }));
  }
}
