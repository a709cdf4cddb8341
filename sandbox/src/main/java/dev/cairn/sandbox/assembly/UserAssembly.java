package dev.cairn.sandbox.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.assembly.AssemblyException;
import dev.cairn.core.assembly.CloudAssembly;
import dev.cairn.core.assembly.StackArtifact;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.EnvironmentPolicy;
import dev.cairn.local.emulators.TemplateTransforms;
import dev.cairn.sandbox.assembly.UserAssemblyRefusedException.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user's own {@code cdk.out}, read the way the deployer reads it ({@link CloudAssembly}: nested
 * assemblies, {@code stackTemplateAssetObjectUrl}, dependencies) and checked, before anything is
 * published, against what the sandbox installation can run: its environments, the resource types
 * the sandbox's CloudFormation deploys and its IAM check can judge, and the assets it can publish.
 * Anything else is a {@link UserAssemblyRefusedException} naming the stack and the feature, so that
 * a run never ends in a stack trace half-way through.
 */
public final class UserAssembly {

  /** One {@code --environments} entry: {@code name=account}. */
  public record Environment(String name, String account) {
    public Environment {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(account, "account");
    }

    @Override
    public String toString() {
      return name + "=" + account;
    }
  }

  private final Path cdkOut;
  private final CloudAssembly assembly;
  private final Map<String, List<StackArtifact>> plans;

  private UserAssembly(
      Path cdkOut, CloudAssembly assembly, Map<String, List<StackArtifact>> plans) {
    this.cdkOut = cdkOut;
    this.assembly = assembly;
    this.plans = Map.copyOf(plans);
  }

  public Path cdkOut() {
    return cdkOut;
  }

  public String schemaVersion() {
    return assembly.schemaVersion();
  }

  /** The stacks of {@code environment} in the order the deployer plans them. */
  public List<StackArtifact> plan(String environment) {
    return plans.getOrDefault(environment, List.of());
  }

  /**
   * Parses {@code stage=111111111111,prod=222222222222}.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code name=12-digit-account}
   */
  public static List<Environment> parseEnvironments(String spec) {
    List<Environment> out = new ArrayList<>();
    for (String entry : spec.split(",", -1)) {
      String[] parts = entry.trim().split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || !parts[1].matches("\\d{12}")) {
        throw new IllegalArgumentException(
            "--environments entry \""
                + entry
                + "\" is not NAME=ACCOUNT (a 12-digit account id), e.g."
                + " stage=111111111111,prod=222222222222");
      }
      out.add(new Environment(parts[0], parts[1]));
    }
    return List.copyOf(out);
  }

  /**
   * Whether every stack of {@code cdkOut} that targets one of {@code environments}' accounts is
   * named {@code <prefix>-...} with that environment's prefix in {@code prefixes} (environment name
   * → {@code stack_name_prefix}). An assembly that cannot be read is not judged here ({@code
   * true}): {@link #check} names what is wrong with it.
   */
  public static boolean stacksUnder(
      Path cdkOut, List<Environment> environments, Map<String, String> prefixes) {
    CloudAssembly assembly;
    try {
      assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(cdkOut));
    } catch (AssemblyException | IOException | RuntimeException e) {
      return true;
    }
    for (StackArtifact s : assembly.stacks()) {
      for (Environment e : environments) {
        String prefix = prefixes.get(e.name());
        if (e.account().equals(s.account())
            && (prefix == null || !s.stackName().startsWith(prefix + "-"))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Reads {@code cdkOut} and checks it against the installation.
   *
   * @param requested the environments the user named, in promotion order
   * @param chain the installation's environments (the synthesized control-plane config)
   * @param deployableTypes the resource types the sandbox deploys and judges
   * @param bootstrapBuckets the target environments' bootstrap asset buckets
   * @param bootstrapRepositories the target environments' bootstrap container-asset repositories
   */
  public static UserAssembly check(
      Path cdkOut,
      List<Environment> requested,
      EnvironmentChain chain,
      Collection<String> deployableTypes,
      Set<String> bootstrapBuckets,
      Set<String> bootstrapRepositories)
      throws UserAssemblyRefusedException {
    environmentsMatch(requested, chain);
    if (!Files.isRegularFile(cdkOut.resolve("manifest.json"))) {
      throw new UserAssemblyRefusedException(
          Code.ASSEMBLY_UNREADABLE,
          "",
          "manifest.json",
          cdkOut
              + " is not a cloud assembly (no manifest.json): pass the directory cdk synth wrote");
    }
    CloudAssembly assembly;
    try {
      assembly = CloudAssembly.read(new LocalDirectoryArtifactSource(cdkOut));
    } catch (AssemblyException e) {
      throw new UserAssemblyRefusedException(
          Code.ASSEMBLY_UNREADABLE, "", e.reason().name(), e.getMessage());
    } catch (IOException e) {
      throw new UserAssemblyRefusedException(
          Code.ASSEMBLY_UNREADABLE, "", "files", "cannot read " + cdkOut + ": " + e);
    }
    for (StackArtifact s : assembly.stacks()) {
      boolean targeted =
          chain.environments().stream()
              .anyMatch(e -> e.account().equals(s.account()) && e.region().equals(s.region()));
      if (!targeted) {
        throw new UserAssemblyRefusedException(
            Code.STACK_OUTSIDE_ENVIRONMENTS,
            s.stackName(),
            "environment aws://" + s.account() + "/" + s.region(),
            "stack "
                + s.stackName()
                + " targets aws://"
                + s.account()
                + "/"
                + s.region()
                + ", which is none of the environments "
                + describe(chain)
                + "; synthesize the app for those accounts and region");
      }
    }
    Map<String, List<StackArtifact>> plans = new LinkedHashMap<>();
    for (EnvironmentPolicy e : chain.environments()) {
      try {
        plans.put(e.name(), assembly.planFor(e.account(), e.region()));
      } catch (AssemblyException x) {
        throw new UserAssemblyRefusedException(
            x.reason() == AssemblyException.Reason.NO_STACKS_FOR_ENVIRONMENT
                ? Code.NO_STACKS_FOR_ENVIRONMENT
                : Code.ASSEMBLY_UNREADABLE,
            "",
            x.reason().name(),
            "environment " + e.name() + ": " + x.getMessage());
      }
    }
    for (List<StackArtifact> plan : plans.values()) {
      for (StackArtifact s : plan) {
        checkTemplate(cdkOut, s, Set.copyOf(deployableTypes));
      }
    }
    checkAssets(cdkOut, bootstrapBuckets, bootstrapRepositories);
    return new UserAssembly(cdkOut, assembly, plans);
  }

  private static void environmentsMatch(List<Environment> requested, EnvironmentChain chain)
      throws UserAssemblyRefusedException {
    List<Environment> installed =
        chain.environments().stream().map(e -> new Environment(e.name(), e.account())).toList();
    if (!installed.equals(requested)) {
      throw new UserAssemblyRefusedException(
          Code.ENVIRONMENTS_MISMATCH,
          "",
          "--environments",
          "--environments "
              + join(requested)
              + " is not the sandbox installation's chain "
              + join(installed)
              + " (its deploy roles, tests projects and bootstrap buckets are synthesized for"
              + " those accounts, in that order)");
    }
  }

  private static String join(List<Environment> envs) {
    return String.join(",", envs.stream().map(Environment::toString).toList());
  }

  private static String describe(EnvironmentChain chain) {
    return String.join(
        ", ",
        chain.environments().stream()
            .map(e -> e.name() + " aws://" + e.account() + "/" + e.region())
            .toList());
  }

  /**
   * Refuses what the sandbox's CloudFormation would not run faithfully: macros ({@code Transform}),
   * and resource types whose handler calls the IAM check cannot name (nested stacks and custom
   * resources among them).
   */
  private static void checkTemplate(Path cdkOut, StackArtifact s, Set<String> deployable)
      throws UserAssemblyRefusedException {
    checkTemplate(s, cdkOut.resolve(s.templatePath()).normalize(), deployable, 0);
  }

  /**
   * Checks one template, then each nested stack's template, found as CloudFormation finds it: the
   * asset whose destination object key ends the {@code TemplateURL}, in the asset manifests beside
   * the parent's template.
   */
  private static void checkTemplate(StackArtifact s, Path file, Set<String> deployable, int depth)
      throws UserAssemblyRefusedException {
    JsonNode template;
    try {
      template = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UserAssemblyRefusedException(
          Code.ASSEMBLY_UNREADABLE,
          s.stackName(),
          file.getFileName().toString(),
          "stack " + s.stackName() + ": cannot read its template " + file + ": " + e);
    }
    checkResources(s, template, deployable, depth > 0);
    for (var it = template.path("Resources").fields(); it.hasNext(); ) {
      var r = it.next();
      if (r.getValue().path("Type").asText().equals("AWS::CloudFormation::Stack")) {
        Path nested = nestedTemplate(s, file.getParent(), r.getKey(), r.getValue(), depth);
        checkTemplate(s, nested, deployable, depth + 1);
      }
    }
  }

  private static Path nestedTemplate(
      StackArtifact s, Path dir, String logicalId, JsonNode resource, int depth)
      throws UserAssemblyRefusedException {
    String url = literalText(resource.path("Properties").path("TemplateURL"));
    String key = url.substring(url.lastIndexOf('/') + 1);
    if (depth < 10 && !key.isEmpty()) {
      try (var files = Files.list(dir)) {
        for (Path m :
            files.filter(p -> p.getFileName().toString().endsWith(".assets.json")).toList()) {
          for (var f = Json.parse(Files.readAllBytes(m)).path("files").fields(); f.hasNext(); ) {
            JsonNode asset = f.next().getValue();
            for (JsonNode d : asset.path("destinations")) {
              if (d.path("objectKey").asText().equals(key)) {
                return dir.resolve(asset.at("/source/path").asText()).normalize();
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UserAssemblyRefusedException(
            Code.ASSEMBLY_UNREADABLE, s.stackName(), logicalId, "cannot read " + dir + ": " + e);
      }
    }
    throw new UserAssemblyRefusedException(
        Code.TEMPLATE_FEATURE_UNSUPPORTED,
        s.stackName(),
        "nested stack " + logicalId,
        "stack "
            + s.stackName()
            + ": the template of its nested stack "
            + logicalId
            + " ("
            + resource.path("Properties").path("TemplateURL")
            + ") is no file asset of the assembly, so the sandbox cannot check its resources");
  }

  /** The literal text of a string or of an {@code Fn::Join}'s literal parts ("" otherwise). */
  private static String literalText(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode part : v.path("Fn::Join").path(1)) {
      out.append(part.isTextual() ? part.asText() : "");
    }
    return out.toString();
  }

  private static void checkResources(
      StackArtifact s, JsonNode template, Set<String> deployable, boolean nested)
      throws UserAssemblyRefusedException {
    // The emulator expands the SAM transform only where it rewrites nothing (TemplateTransforms),
    // and only on a stack's own template: a nested stack's is processed by CloudFormation with
    // credentials the sandbox does not model
    // (docs/decisions/2026-12-07-sam-transform-without-serverless-resources.md).
    if (template.has("Transform")) {
      Optional<String> unsupported =
          nested
              ? Optional.of("the transform " + template.get("Transform"))
              : TemplateTransforms.unsupported(template);
      if (unsupported.isPresent()) {
        throw new UserAssemblyRefusedException(
            Code.TEMPLATE_FEATURE_UNSUPPORTED,
            s.stackName(),
            "Transform " + template.get("Transform"),
            "stack "
                + s.stackName()
                + (nested ? " has a nested stack that uses " : " uses ")
                + unsupported.get()
                + ", which the sandbox's CloudFormation cannot expand: it expands "
                + TemplateTransforms.SAM
                + " only on a stack's own template without AWS::Serverless::* resources or"
                + " Globals (a CDK app declares a transform only for SAM resources or macros)");
      }
    }
    Set<String> refused = new TreeSet<>();
    String first = null;
    for (var it = template.path("Resources").fields(); it.hasNext(); ) {
      var r = it.next();
      String type = r.getValue().path("Type").asText("");
      if (!deployable.contains(
          type.startsWith("Custom::") ? "AWS::CloudFormation::CustomResource" : type)) {
        refused.add(type);
        if (first == null) {
          first = r.getKey() + " (" + type + ")";
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new UserAssemblyRefusedException(
          Code.RESOURCE_TYPE_UNSUPPORTED,
          s.stackName(),
          String.join(", ", refused),
          "stack "
              + s.stackName()
              + " declares "
              + first
              + (refused.size() > 1 ? " and other resources of the types " + refused : "")
              + ": the sandbox deploys and IAM-checks only "
              + new TreeSet<>(deployable)
              + (refused.contains("AWS::CloudFormation::Stack")
                  ? " (AWS::CloudFormation::Stack is a nested stack)"
                  : ""));
    }
  }

  /**
   * File assets must go to a target's bootstrap bucket, image assets to its bootstrap repository,
   * from a build directory in the artifact.
   */
  private static void checkAssets(
      Path cdkOut, Set<String> bootstrapBuckets, Set<String> bootstrapRepositories)
      throws UserAssemblyRefusedException {
    List<Path> manifests;
    try (var files = Files.walk(cdkOut)) {
      manifests =
          files
              .filter(p -> p.getFileName().toString().endsWith(".assets.json"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UserAssemblyRefusedException(
          Code.ASSEMBLY_UNREADABLE, "", "files", "cannot list " + cdkOut + ": " + e);
    }
    for (Path m : manifests) {
      String stack = m.getFileName().toString().replace(".assets.json", "");
      JsonNode root;
      try {
        root = Json.parse(Files.readAllBytes(m));
      } catch (IOException e) {
        throw new UserAssemblyRefusedException(
            Code.ASSEMBLY_UNREADABLE, stack, cdkOut.relativize(m).toString(), e.toString());
      }
      for (var it = root.path("dockerImages").fields(); it.hasNext(); ) {
        var image = it.next();
        String name = image.getValue().path("displayName").asText(image.getKey());
        if (image.getValue().at("/source/directory").isMissingNode()) {
          // An image built by a command (source.executable) has no context in the artifact.
          throw new UserAssemblyRefusedException(
              Code.DOCKER_IMAGE_ASSET_UNSUPPORTED,
              stack,
              "Docker image asset " + name,
              "stack "
                  + stack
                  + " has the Docker image asset "
                  + name
                  + " ("
                  + cdkOut.relativize(m)
                  + ") without a build directory: the sandbox pushes an image of a build"
                  + " context in the artifact, and runs no build command");
        }
        for (JsonNode dest : image.getValue().path("destinations")) {
          String repository = dest.path("repositoryName").asText();
          if (!bootstrapRepositories.contains(repository)) {
            throw new UserAssemblyRefusedException(
                Code.ASSET_DESTINATION_UNKNOWN,
                stack,
                "asset destination " + repository,
                "stack "
                    + stack
                    + ": Docker image asset "
                    + name
                    + " is pushed to "
                    + repository
                    + ", which is not one of the environments' bootstrap repositories "
                    + new TreeSet<>(bootstrapRepositories));
          }
        }
      }
      for (var it = root.path("files").fields(); it.hasNext(); ) {
        var file = it.next();
        for (JsonNode dest : file.getValue().path("destinations")) {
          String bucket = dest.path("bucketName").asText();
          if (!bootstrapBuckets.contains(bucket)) {
            throw new UserAssemblyRefusedException(
                Code.ASSET_DESTINATION_UNKNOWN,
                stack,
                "asset destination " + bucket,
                "stack "
                    + stack
                    + ": file asset "
                    + file.getKey()
                    + " is published to "
                    + bucket
                    + ", which is not one of the environments' bootstrap buckets "
                    + new TreeSet<>(bootstrapBuckets));
          }
        }
      }
    }
  }
}
