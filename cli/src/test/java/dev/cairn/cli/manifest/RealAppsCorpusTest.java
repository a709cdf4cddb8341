package dev.cairn.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cloud assemblies of {@code examples/real-apps/}, synthesized by the CDK CLI from public
 * example apps, go through CI's manifest steps exactly as a user's own {@code cdk.out} would: they
 * are created, signed and verified; a one-byte change to a stack template, to a file of an asset
 * that a Stage shares at the root as {@code ../asset.*}, to a nested stack's template or to a
 * Docker build context is refused by the file-integrity gate. Nothing here needs the network: the
 * assemblies are committed.
 */
class RealAppsCorpusTest {

  static final Path CORPUS = Path.of("../examples/real-apps");
  static final String IDENTITY = "kms:alias/cdk-ci-artifact-signer";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  /** Each corpus app and the aws-cdk-lib it was synthesized with (its SOURCE.md says the same). */
  record App(String name, String cdkLibrary) {
    Path cdkOut() {
      return CORPUS.resolve(name).resolve("cdk.out");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static final List<App> APPS =
      List.of(
          new App("ecs-lambda-stages", "2.263.0"),
          new App("codepipeline-build-deploy", "2.263.0"),
          new App("global-ddb-cmk", "2.263.0"),
          new App("sftp-server", "2.100.0"),
          new App("parallel-step-functions", "2.100.0"));

  @TempDir Path tmp;

  static Stream<App> apps() {
    return APPS.stream();
  }

  @Test
  void everyCorpusApp_isExercisedHere() throws IOException {
    Set<String> onDisk = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      dirs.filter(d -> Files.isDirectory(d.resolve("cdk.out")))
          .forEach(d -> onDisk.add(d.getFileName().toString()));
    }
    assertThat(onDisk).containsExactlyInAnyOrderElementsOf(APPS.stream().map(App::name).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void corpusApp_createsSignsAndVerifies(App app) {
    Signed artifact = Signed.of(app, tmp);

    CliRunner.Result r = artifact.verify();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.json().get("verdict").textValue()).isEqualTo("accepted");
    assertThat(r.json().get("failures")).isEmpty();
  }

  /** Where in an app a one-byte change is tried, and the file it picks (none: not in this app). */
  record Target(String what, Function<Path, Optional<String>> pick) {
    @Override
    public String toString() {
      return what;
    }
  }

  static final List<Target> TARGETS =
      List.of(
          new Target("a stack template", cdkOut -> first(cdkOut, RealAppsCorpusTest::isTemplate)),
          new Target("a Stage's shared ../asset.* file", RealAppsCorpusTest::sharedAssetFile),
          new Target(
              "a nested stack's template asset",
              cdkOut -> first(cdkOut, p -> p.endsWith(".nested.template.json"))),
          new Target("a Docker build context file", RealAppsCorpusTest::dockerContextFile));

  static Stream<Arguments> tampering() {
    return APPS.stream()
        .flatMap(
            app ->
                TARGETS.stream()
                    .filter(t -> t.pick().apply(app.cdkOut()).isPresent())
                    .map(t -> Arguments.of(app, t)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("tampering")
  void corpusApp_whenOneByteChanged_failsFileIntegrity(App app, Target target) throws IOException {
    Signed artifact = Signed.of(app, tmp);
    String file = target.pick().apply(artifact.cdkOut).orElseThrow();
    byte[] bytes = Files.readAllBytes(artifact.cdkOut.resolve(file));
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(artifact.cdkOut.resolve(file), bytes);

    CliRunner.Result r = artifact.verify();

    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    JsonNode failure = r.json().get("failures").get(0);
    assertThat(failure.get("gate").textValue()).as(r.out()).isEqualTo("FILE_INTEGRITY");
    assertThat(failure.get("code").textValue()).as(r.out()).isEqualTo("FILE_MODIFIED");
    assertThat(failure.get("path").textValue()).as(r.out()).isEqualTo(file);
  }

  /** The corpus shows what the README's table claims, so a re-synthesis cannot drop a feature. */
  @Test
  void corpus_coversWhatRealAppsPutInACloudAssembly() throws IOException {
    Set<String> schemas = new TreeSet<>();
    Set<String> stackProperties = new TreeSet<>();
    Set<String> capabilities = new TreeSet<>();
    List<String> large = new ArrayList<>();
    List<String> sharedAssetsTwoDeep = new ArrayList<>();
    List<String> imports = new ArrayList<>();
    List<String> docker = new ArrayList<>();
    List<String> nestedStacks = new ArrayList<>();
    List<String> stackDependencies = new ArrayList<>();
    List<String> nestedStackDependencies = new ArrayList<>();
    for (App app : APPS) {
      for (String file : files(app.cdkOut())) {
        Path p = app.cdkOut().resolve(file);
        if (file.endsWith("manifest.json")) {
          JsonNode m = Json.parse(Files.readAllBytes(p));
          schemas.add(m.get("version").textValue());
          for (JsonNode artifact : m.path("artifacts")) {
            if ("aws:cloudformation:stack".equals(artifact.path("type").asText())) {
              artifact.path("properties").fieldNames().forEachRemaining(stackProperties::add);
              for (JsonNode dependency : artifact.path("dependencies")) {
                if (!dependency.asText().endsWith(".assets")) {
                  stackDependencies.add(file + ": " + dependency.asText());
                }
              }
              if (artifact.path("properties").path("terminationProtection").asBoolean()) {
                stackProperties.add("terminationProtection=true");
              }
            }
          }
        } else if (file.endsWith(".assets.json")) {
          JsonNode m = Json.parse(Files.readAllBytes(p));
          if (m.path("dockerImages").size() > 0) {
            docker.add(file);
          }
          for (JsonNode asset : m.path("files")) {
            if (asset.at("/source/path").asText().startsWith("../../asset.")) {
              sharedAssetsTwoDeep.add(file);
            }
          }
        } else if (isTemplate(file)) {
          String text = Files.readString(p);
          if (Files.size(p) > 51_200) {
            large.add(file);
          }
          if (text.contains("\"Fn::ImportValue\"")) {
            imports.add(file);
          }
          if (text.contains("\"AWS::CloudFormation::Stack\"")) {
            nestedStacks.add(file);
          }
          JsonNode template = Json.parse(Files.readAllBytes(p));
          capabilities.addAll(capabilitiesNeeded(template));
          for (JsonNode resource : template.path("Resources")) {
            // addDependency between NestedStacks becomes a DependsOn between their resources.
            if ("AWS::CloudFormation::Stack".equals(resource.path("Type").asText())
                && resource.has("DependsOn")) {
              nestedStackDependencies.add(file);
            }
          }
        }
      }
    }
    assertThat(schemas).contains("34.0.0").hasSizeGreaterThan(1);
    assertThat(stackProperties)
        .contains(
            "stackTemplateAssetObjectUrl",
            "assumeRoleArn",
            "cloudFormationExecutionRoleArn",
            "requiresBootstrapStackVersion",
            "bootstrapStackVersionSsmParameter",
            "terminationProtection=true",
            "tags",
            "notificationArns");
    assertThat(capabilities)
        .containsExactlyInAnyOrder(
            "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND");
    assertThat(large).isNotEmpty();
    assertThat(sharedAssetsTwoDeep).isNotEmpty();
    assertThat(imports).isNotEmpty();
    assertThat(docker).isNotEmpty();
    assertThat(nestedStacks).isNotEmpty();
    assertThat(stackDependencies).isNotEmpty();
    assertThat(nestedStackDependencies).isNotEmpty();
  }

  /**
   * The capabilities CloudFormation asks for (CreateStack, {@code Capabilities}): IAM resources
   * need CAPABILITY_IAM, named ones CAPABILITY_NAMED_IAM, a {@code Transform} (a macro)
   * CAPABILITY_AUTO_EXPAND.
   */
  static Set<String> capabilitiesNeeded(JsonNode template) {
    Set<String> out = new TreeSet<>();
    if (template.has("Transform")) {
      out.add("CAPABILITY_AUTO_EXPAND");
    }
    for (JsonNode resource : template.path("Resources")) {
      String type = resource.path("Type").asText();
      if (type.startsWith("AWS::IAM::")) {
        out.add("CAPABILITY_IAM");
        JsonNode props = resource.path("Properties");
        if (props.has("RoleName")
            || props.has("UserName")
            || props.has("GroupName")
            || props.has("ManagedPolicyName")) {
          out.add("CAPABILITY_NAMED_IAM");
        }
      }
    }
    return out;
  }

  static boolean isTemplate(String file) {
    return file.endsWith(".template.json") && !file.endsWith(".nested.template.json");
  }

  /** A file under a root asset folder that a nested assembly names as {@code ../asset.*}. */
  static Optional<String> sharedAssetFile(Path cdkOut) {
    return referencedAssetFile(cdkOut, "files", "path");
  }

  static Optional<String> dockerContextFile(Path cdkOut) {
    return referencedAssetFile(cdkOut, "dockerImages", "directory");
  }

  static Optional<String> referencedAssetFile(Path cdkOut, String section, String field) {
    List<String> all = files(cdkOut);
    for (String file : all) {
      if (!file.contains("/") || !file.endsWith(".assets.json")) {
        continue;
      }
      JsonNode m = parse(cdkOut.resolve(file));
      for (Iterator<JsonNode> it = m.path(section).elements(); it.hasNext(); ) {
        String source = it.next().at("/source/" + field).asText("");
        if (!source.startsWith("../")) {
          continue;
        }
        String folder =
            cdkOut
                .relativize(cdkOut.resolve(file).getParent().resolve(source).normalize())
                .toString();
        Optional<String> inside = all.stream().filter(f -> f.startsWith(folder + "/")).findFirst();
        if (inside.isPresent()) {
          return inside;
        }
      }
    }
    return Optional.empty();
  }

  static Optional<String> first(Path cdkOut, java.util.function.Predicate<String> which) {
    return files(cdkOut).stream().filter(f -> f.contains("/") && which.test(f)).findFirst();
  }

  /** The assembly's files, relative to its root, in a stable order. */
  static List<String> files(Path cdkOut) {
    try (Stream<Path> walk = Files.walk(cdkOut)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> cdkOut.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(Path p) {
    try {
      return Json.parse(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of one corpus app, signed as CI signs: key, trust policy, create, sign. */
  record Signed(Path cdkOut, Path manifest, Path policy) {

    static Signed of(App app, Path dir) {
      Path cdkOut = dir.resolve("cdk.out");
      copy(app.cdkOut(), cdkOut);
      Path key = dir.resolve("ci.key.pem");
      Path pub = dir.resolve("ci.pub.pem");
      Path policy = dir.resolve("trust-policy.json");
      Path manifest = dir.resolve("artifact-manifest.json");
      CliArtifact.trustedSigner(key, pub, policy);
      ok(
          CliRunner.run(
              "manifest",
              "create",
              "--service",
              app.name(),
              "--cdk-out",
              cdkOut.toString(),
              "--commit",
              COMMIT,
              "--source-ref",
              "refs/heads/main",
              "--git-signature-verified",
              "true",
              "--context",
              CORPUS.resolve(app.name()).resolve("offline.context.json").toString(),
              "--cdk-cli-version",
              "2.1148.1",
              "--cdk-library-version",
              "aws-cdk-lib=" + app.cdkLibrary(),
              "--build-time",
              "2026-12-06T09:00:00Z",
              "--build-duration-seconds",
              "60",
              "--out",
              manifest.toString()));
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
      return new Signed(cdkOut, manifest, policy);
    }

    CliRunner.Result verify() {
      return CliRunner.run(
          "manifest",
          "verify",
          "--cdk-out",
          cdkOut.toString(),
          "--manifest",
          manifest.toString(),
          "--trust-policy",
          policy.toString(),
          "--format",
          "json");
    }

    static void ok(CliRunner.Result r) {
      assertThat(r.exit()).as(r.toString()).isZero();
    }

    static void copy(Path from, Path to) {
      try (Stream<Path> walk = Files.walk(from)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
