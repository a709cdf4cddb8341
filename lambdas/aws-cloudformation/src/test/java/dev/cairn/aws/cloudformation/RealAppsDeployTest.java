package dev.cairn.aws.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.assembly.TemplateObject;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.pipeline.port.StackDeployer;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.EcrEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.testsupport.S3LocalExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every stack of every app of {@code examples/real-apps/} (cloud assemblies synthesized by the CDK
 * CLI from public example apps) deploys through the CloudFormation emulator, through Cairn's own
 * {@link CloudFormationStackDeployer} (so with the capabilities it passes and the {@code
 * TemplateURL} it builds), in the order {@link CloudAssembly#planFor} gives, in each of the two
 * environments the apps target. Nested stacks are created by their parents from the published
 * nested template assets; imports resolve against the exports of the stacks deployed before.
 */
@ExtendWith(S3LocalExtension.class)
class RealAppsDeployTest {

  static final Path CORPUS = Path.of("../../examples/real-apps");
  private static final String REGION = "us-east-1";
  private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final S3Client s3;

  RealAppsDeployTest(S3Client s3) {
    this.s3 = s3;
  }

  static Stream<String> apps() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs
          .filter(d -> Files.isDirectory(d.resolve("cdk.out")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("apps")
  void everyStack_deploysInDependencyOrder_withItsNestedStacks(String app) throws Exception {
    Path cdkOut = CORPUS.resolve(app).resolve("cdk.out");
    CloudAssembly assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(cdkOut));

    for (String account : ACCOUNTS) {
      CloudFormationEmulator cfn = new CloudFormationEmulator(account, REGION, CLOCK, s3);
      EcrEmulator ecr = new EcrEmulator(account, CLOCK);
      cfn.imageRegistry(ecr);
      publish(cdkOut, account, ecr);
      StackDeployer deployer =
          new CloudFormationStackDeployer(cfn, new SsmEmulator(account, REGION, CLOCK), s3);

      List<StackArtifact> plan = assembly.planFor(account, REGION);
      List<String> deployed = new ArrayList<>();
      for (StackArtifact stack : plan) {
        assertThat(deployed).as(stack.stackName()).containsAll(dependencyNames(plan, stack));
        deploy(deployer, account, stack);
        deployed.add(stack.stackName());
        JsonNode template = JSON.readTree(cdkOut.resolve(stack.templatePath()).toFile());
        Map<String, String> nested = cfn.nestedStacks(stack.stackName());
        assertThat(nested.keySet())
            .as(stack.stackName() + "'s nested stacks")
            .containsExactlyInAnyOrderElementsOf(nestedStackIds(template));
        for (String n : nested.values()) {
          assertThat(cfn.stackStatus(n)).as(n).contains(StackStatus.CREATE_COMPLETE);
        }
      }
      assertThat(deployed).as(app + " in " + account).isNotEmpty();
      // Every import resolved against an export of a stack deployed before it.
      for (String name : importNames(cdkOut, account)) {
        assertThat(cfn.listImports(r -> r.exportName(name)).imports()).as(name).isNotEmpty();
      }
    }
  }

  private static List<String> nestedStackIds(JsonNode template) {
    List<String> out = new ArrayList<>();
    template
        .path("Resources")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("Type").asText().equals("AWS::CloudFormation::Stack")) {
                out.add(e.getKey());
              }
            });
    return out;
  }

  /** The literal names the account's templates (nested ones included) import. */
  private static List<String> importNames(Path cdkOut, String account) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(cdkOut)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".template.json")).toList()) {
        String text = Files.readString(f);
        if (!text.contains(account)) {
          continue; // another environment's template
        }
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("\"Fn::ImportValue\":\\s*\"([^\"]+)\"").matcher(text);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  private static List<String> dependencyNames(List<StackArtifact> plan, StackArtifact stack) {
    return plan.stream()
        .filter(s -> stack.dependencies().contains(s.artifactId()))
        .map(StackArtifact::stackName)
        .toList();
  }

  private static void deploy(StackDeployer deployer, String account, StackArtifact stack) {
    String name = stack.stackName();
    // As the rollout does: the TemplateURL names the version of the template the deploy role read.
    StackDeployer.TemplateRead read =
        deployer.readTemplate(account, stack.templateObject()).orElseThrow();
    deployer.createChangeSet(
        new StackDeployer.ChangeSetRequest(
            name,
            "cairn-create",
            true,
            stack.templateObject().templateUrl(read.versionId()),
            stack.parameters(),
            stack.tags(),
            stack.notificationArns(),
            null,
            "create-" + name));
    StackDeployer.ChangeSetState cs;
    do {
      cs = deployer.describeChangeSet(name, "cairn-create").orElseThrow();
    } while (cs.status().endsWith("_PENDING") || cs.status().endsWith("_IN_PROGRESS"));
    assertThat(cs.status()).as(name + ": " + cs.statusReason()).isEqualTo("CREATE_COMPLETE");
    deployer.executeChangeSet(name, "cairn-create", "execute-" + name);
    StackDeployer.StackState state;
    do {
      state = deployer.describeStack(name).orElseThrow();
    } while (state.status().endsWith("_IN_PROGRESS"));
    assertThat(state.status()).as(name + ": " + state.statusReason()).isEqualTo("CREATE_COMPLETE");
  }

  /**
   * Does what {@code cdk-assets publish} does for {@code account}: uploads each file asset that is
   * a file (templates, nested templates) to its destination, and pushes each Docker image asset
   * under its tag. The image's digest stands for the image a build would produce: the SHA-256 of
   * its asset id, as no Docker daemon runs here.
   */
  private void publish(Path cdkOut, String account, EcrEmulator ecr) throws Exception {
    List<Path> manifests;
    try (Stream<Path> files = Files.walk(cdkOut)) {
      manifests = files.filter(f -> f.toString().endsWith(".assets.json")).sorted().toList();
    }
    for (Path manifest : manifests) {
      JsonNode root = JSON.readTree(manifest.toFile());
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
        JsonNode asset = it.next().getValue();
        if (!asset.at("/source/packaging").asText("file").equals("file")) {
          continue; // a zipped directory: CloudFormation only names its key
        }
        Path source = manifest.getParent().resolve(asset.at("/source/path").asText()).normalize();
        for (JsonNode d : asset.path("destinations")) {
          String bucket = TemplateObject.resolve(d.path("bucketName").asText(), account, REGION);
          String key = TemplateObject.resolve(d.path("objectKey").asText(), account, REGION);
          if (bucket.endsWith("-" + account + "-" + REGION)) {
            LocalS3.createVersionedBucket(s3, bucket);
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(source));
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("dockerImages").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> image = it.next();
        String digest =
            "sha256:"
                + HexFormat.of()
                    .formatHex(
                        MessageDigest.getInstance("SHA-256")
                            .digest(image.getKey().getBytes(StandardCharsets.UTF_8)));
        for (JsonNode d : image.getValue().path("destinations")) {
          String repository =
              TemplateObject.resolve(d.path("repositoryName").asText(), account, REGION);
          if (repository.endsWith("-" + account + "-" + REGION)) {
            ecr.putImage(repository, digest, d.path("imageTag").asText());
          }
        }
      }
    }
  }
}
