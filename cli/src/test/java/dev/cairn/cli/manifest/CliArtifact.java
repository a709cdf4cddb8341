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
    this(dir, false);
  }

  /**
   * @param stage reshape the example as an app whose prod stacks are in a {@code cdk.Stage} ({@link
   *     #reshapeAsStage}) before {@code manifest create}
   */
  CliArtifact(Path dir, boolean stage) {
    this.dir = dir;
    this.cdkOut = dir.resolve("cdk.out");
    this.manifest = dir.resolve("artifact-manifest.json");
    this.policy = dir.resolve("trust-policy.json");
    this.key = dir.resolve("ci.key.pem");
    this.context = dir.resolve("context.json");
    copyExample();
    if (stage) {
      reshapeAsStage(cdkOut);
    }
    trustedSigner(key, dir.resolve("ci.pub.pem"), policy);
    write(
        context,
        "{\"availability-zones:account=111111111111:region=us-east-1\":[\"us-east-1a\"]}\n");
    ok(create("true", "refs/heads/main", "2.1148.1"));
    sign();
  }

  CliRunner.Result create(String gitSigned, String ref, String cliVersion, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
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
                manifest.toString()));
    args.addAll(java.util.List.of(extra));
    return CliRunner.run(args.toArray(String[]::new));
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

  /**
   * CI's signing key ({@code key generate}) and a trust policy that trusts it for {@link #IDENTITY}
   * ({@code trust init}), written to {@code key}, {@code pub} and {@code policy}. The manifests in
   * these tests assert the commit's signature: there is no repository to verify one against ({@code
   * ManifestCreateProvenanceTest} verifies one).
   */
  static void trustedSigner(Path key, Path pub, Path policy) {
    ok(
        CliRunner.run(
            "key",
            "generate",
            "--algorithm",
            "ecdsa-p256",
            "--private-key-out",
            key.toString(),
            "--public-key-out",
            pub.toString()));
    ok(
        CliRunner.run(
            "trust",
            "init",
            "--out",
            policy.toString(),
            "--signer",
            IDENTITY + "=" + pub,
            "--allowed-cdk-cli-version",
            "2.1148.1",
            "--required-source-ref",
            "refs/heads/main",
            "--allow-asserted-git-signature"));
  }

  static void ok(CliRunner.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  /**
   * What {@code cdk synth} writes for a {@code cdk.Stage} named Prod: the prod stacks' artifacts
   * and files in the nested assembly {@code assembly-Prod/} (listed in the root manifest as a
   * {@code cdk:cloud-assembly}), the asset folders left in the root, named {@code ../asset.<hash>}
   * by the nested asset manifests.
   */
  static void reshapeAsStage(Path cdkOut) {
    try {
      Path stage = Files.createDirectories(cdkOut.resolve("assembly-Prod"));
      ObjectNode root =
          (ObjectNode) Json.parse(Files.readAllBytes(cdkOut.resolve("manifest.json")));
      ObjectNode rootArtifacts = (ObjectNode) root.get("artifacts");
      ObjectNode nested = Json.object().put("version", root.get("version").asText());
      ObjectNode artifacts = nested.putObject("artifacts");
      for (String stack : List.of("hello-prod-data", "hello-prod-api")) {
        artifacts.set(stack + ".assets", rootArtifacts.remove(stack + ".assets"));
        artifacts.set(stack, rootArtifacts.remove(stack));
        for (String suffix : List.of(".assets.json", ".metadata.json", ".template.json")) {
          Files.move(cdkOut.resolve(stack + suffix), stage.resolve(stack + suffix));
        }
        Path assets = stage.resolve(stack + ".assets.json");
        write(assets, Files.readString(assets).replace("\"asset.", "\"../asset."));
      }
      write(stage.resolve("manifest.json"), Json.pretty(nested));
      rootArtifacts
          .putObject("assembly-Prod")
          .put("type", "cdk:cloud-assembly")
          .putObject("properties")
          .put("directoryName", "assembly-Prod")
          .put("displayName", "Prod");
      write(cdkOut.resolve("manifest.json"), Json.pretty(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
