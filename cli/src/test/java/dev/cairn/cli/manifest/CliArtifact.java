package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CI's round trip through the CLI itself: a copy of the example cdk.out, a generated key, a trust
 * policy, {@code manifest create} and {@code manifest sign}. Tests then tamper and verify.
 */
final class CliArtifact {

  static final Path EXAMPLE = Path.of("../examples/hello-service/cdk.out");
  static final String IDENTITY = "kms:alias/cdk-ci-artifact-signer";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  final Path dir;
  final Path cdkOut;
  final Path manifest;
  final Path policy;
  final Path key;
  final Path context;

  CliArtifact(Path dir) {
    this.dir = dir;
    this.cdkOut = dir.resolve("cdk.out");
    this.manifest = dir.resolve("artifact-manifest.json");
    this.policy = dir.resolve("trust-policy.json");
    this.key = dir.resolve("ci.key.pem");
    this.context = dir.resolve("context.json");
    copyExample();
    ok(
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            key.toString(),
            "--public-key-out",
            dir.resolve("ci.pub.pem").toString()));
    ok(
        CliRunner.run(
            "trust",
            "init",
            "--out",
            policy.toString(),
            "--signer",
            IDENTITY + "=" + dir.resolve("ci.pub.pem"),
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main"));
    write(
        context,
        "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\"]}\n");
    ok(create("true", "refs/heads/main", "2.1148.1"));
    sign();
  }

  CliRunner.Result create(String gitSigned, String ref, String cliVersion) {
    return CliRunner.run(
        "manifest",
        "create",
        "--service",
        "hello-service",
        "--cdk-out",
        cdkOut.toString(),
        "--commit",
        COMMIT,
        "--source-ref",
        ref,
        "--git-signature-verified",
        gitSigned,
        "--context",
        context.toString(),
        "--cdk-cli-version",
        cliVersion,
        "--cdk-library-version",
        "aws-cdk-lib=2.263.0",
        "--build-time",
        "2026-01-31T12:00:00Z",
        "--build-duration-seconds",
        "42",
        "--out",
        manifest.toString());
  }

  void sign() {
    ok(
        CliRunner.run(
            "manifest",
            "sign",
            "--manifest",
            manifest.toString(),
            "--signing-identity",
            IDENTITY,
            "--private-key-pem",
            key.toString()));
  }

  CliRunner.Result verify(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "manifest",
                "verify",
                "--cdk-out",
                cdkOut.toString(),
                "--manifest",
                manifest.toString(),
                "--trust-policy",
                policy.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
  }

  /** Verifies with {@code --format json}; asserts the report validates against its schema. */
  CliRunner.Result verifyJson(String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.add("--format");
    args.add("json");
    CliRunner.Result r = verify(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isIn(0, 1);
    assertThat(CliRunner.violations("verification-report.v1.json", r.json())).as(r.out()).isEmpty();
    return r;
  }

  ObjectNode manifestJson() {
    try {
      return (ObjectNode) Json.parse(Files.readAllBytes(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void writeManifest(ObjectNode m) {
    write(manifest, Json.pretty(m));
  }

  String contextHash() {
    try {
      return dev.cairn.core.integrity.Sha256.hex(Files.readAllBytes(context));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path p, String text) {
    try {
      Files.createDirectories(p.toAbsolutePath().getParent());
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void ok(CliRunner.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  private void copyExample() {
    try (Stream<Path> walk = Files.walk(EXAMPLE)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path to = cdkOut.resolve(EXAMPLE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
