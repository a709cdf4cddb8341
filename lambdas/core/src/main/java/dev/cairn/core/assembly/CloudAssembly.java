package dev.cairn.core.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.CloudAssemblyAssets;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a cloud assembly's {@code manifest.json} (recursing into nested assemblies of CDK stages)
 * and lists its stack artifacts. The artifact has already passed verification, so the files are the
 * signed ones. Each stack's template is deployed from where {@code cdk-assets} published it in the
 * target account ({@code stackTemplateAssetObjectUrl}), never from the tools account.
 */
public final class CloudAssembly {

  /**
   * The newest cloud assembly schema major version this build understands (aws-cdk-lib 2.263 writes
   * 54). A newer assembly may carry semantics Cairn would silently ignore, so it is refused.
   */
  public static final int SUPPORTED_SCHEMA_MAJOR = 54;

  private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
  private static final int MAX_NESTING = 8;

  private final String schemaVersion;
  private final List<StackArtifact> stacks;

  private CloudAssembly(String schemaVersion, List<StackArtifact> stacks) {
    this.schemaVersion = schemaVersion;
    this.stacks = List.copyOf(stacks);
  }

  public String schemaVersion() {
    return schemaVersion;
  }

  public List<StackArtifact> stacks() {
    return stacks;
  }

  /** Reads the assembly rooted at the artifact root. */
  public static CloudAssembly read(ArtifactSource source) throws AssemblyException, IOException {
    List<StackArtifact> stacks = new ArrayList<>();
    String version = readDirectory(source, "", stacks, 0);
    return new CloudAssembly(version, stacks);
  }

  private static String readDirectory(
      ArtifactSource source, String dir, List<StackArtifact> out, int depth)
      throws AssemblyException, IOException {
    if (depth > MAX_NESTING) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          "nested assemblies deeper than " + MAX_NESTING);
    }
    String manifestPath = dir + "manifest.json";
    JsonNode root;
    try (InputStream in = source.open(manifestPath)) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new AssemblyException(
            AssemblyException.Reason.MANIFEST_UNREADABLE, manifestPath + " is too large");
      }
      root = Json.parse(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          manifestPath + " is not valid JSON: " + e.getOriginalMessage());
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE, "the artifact has no " + manifestPath);
    }
    String version = root.path("version").asText("");
    int major;
    try {
      major = Integer.parseInt(version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE, manifestPath + " has no valid version");
    }
    if (major > SUPPORTED_SCHEMA_MAJOR) {
      throw new AssemblyException(
          AssemblyException.Reason.SCHEMA_TOO_NEW,
          "cloud assembly schema "
              + version
              + " is newer than the supported "
              + SUPPORTED_SCHEMA_MAJOR
              + ".x; upgrade Cairn before deploying it");
    }
    JsonNode missing = root.path("missing");
    if (missing.isArray() && !missing.isEmpty()) {
      List<String> keys = new ArrayList<>();
      missing.forEach(m -> keys.add(m.path("key").asText("?")));
      throw new AssemblyException(
          AssemblyException.Reason.UNRESOLVED_CONTEXT_LOOKUPS,
          "the assembly has "
              + keys.size()
              + " unresolved context lookup(s) "
              + keys
              + "; synthesize with the blessed .cdk.context.json (cairn context fetch)");
    }
    List<FileDestination> published = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("artifacts").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().path("type").asText("").equals("cdk:asset-manifest")) {
        readAssetManifest(source, dir, e.getKey(), e.getValue().path("properties"), published);
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("artifacts").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode a = e.getValue();
      String type = a.path("type").asText("");
      JsonNode props = a.path("properties");
      if (type.equals("cdk:cloud-assembly")) {
        String nested = props.path("directoryName").asText("");
        if (ArtifactPath.violation(nested).isPresent()) {
          throw new AssemblyException(
              AssemblyException.Reason.MANIFEST_UNREADABLE,
              "nested assembly " + e.getKey() + " has an unsafe directory");
        }
        readDirectory(source, dir + nested + "/", out, depth + 1);
      } else if (type.equals("aws:cloudformation:stack")) {
        out.add(stack(e.getKey(), a, props, dir, published));
      }
    }
    return version;
  }

  /**
   * One destination of a file asset, as an asset manifest declares it (placeholders unresolved).
   * The verifier's gate 8 hashes exactly these objects in the target account.
   */
  private record FileDestination(
      String sourcePath, boolean zip, String destinationId, String bucket, String key) {}

  /**
   * Reads a {@code cdk:asset-manifest} artifact's file assets. Only files named {@code
   * *.assets.json} count: those are the asset manifests the verifier reads.
   */
  private static void readAssetManifest(
      ArtifactSource source, String dir, String id, JsonNode props, List<FileDestination> out)
      throws AssemblyException, IOException {
    String file = props.path("file").asText("");
    if (!file.endsWith(".assets.json")) {
      return;
    }
    if (ArtifactPath.violation(file).isPresent()) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          "asset manifest " + id + " has an unsafe file");
    }
    String path = dir + file;
    JsonNode root;
    try (InputStream in = source.open(path)) {
      byte[] bytes = in.readNBytes(CloudAssemblyAssets.MAX_ASSET_MANIFEST_BYTES + 1);
      if (bytes.length > CloudAssemblyAssets.MAX_ASSET_MANIFEST_BYTES) {
        throw new AssemblyException(
            AssemblyException.Reason.MANIFEST_UNREADABLE, path + " is too large");
      }
      root = Json.parse(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          path + " is not valid JSON: " + e.getOriginalMessage());
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE, "the artifact has no " + path);
    }
    String assetDir = path.substring(0, path.lastIndexOf('/') + 1);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode asset = entry.getValue();
      if (!asset.at("/source/path").isTextual()) {
        continue; // built by an executable: never a stack's template
      }
      // Relative to the asset manifest: a stage's asset names the root's ../asset.<hash>.
      String relative = asset.at("/source/path").asText();
      if (ArtifactPath.violation(assetDir, relative).isPresent()) {
        throw new AssemblyException(
            AssemblyException.Reason.MANIFEST_UNREADABLE,
            path + ": asset " + entry.getKey() + " has an unsafe source path");
      }
      String sourcePath = ArtifactPath.resolve(assetDir, relative);
      boolean zip = "zip".equals(asset.at("/source/packaging").asText("file"));
      for (Iterator<Map.Entry<String, JsonNode>> d = asset.path("destinations").fields();
          d.hasNext(); ) {
        Map.Entry<String, JsonNode> dest = d.next();
        out.add(
            new FileDestination(
                sourcePath,
                zip,
                dest.getKey(),
                dest.getValue().path("bucketName").asText(""),
                dest.getValue().path("objectKey").asText("")));
      }
    }
  }

  /**
   * Where the stack's template was published in its target account. It must be the {@code
   * stackTemplateAssetObjectUrl} and, so that gate 8 has checked its hash there, a destination for
   * the stack's account and region of the file asset whose source is the stack's template file.
   */
  private static TemplateObject templateObject(
      String id,
      JsonNode props,
      String account,
      String region,
      String templatePath,
      List<FileDestination> published)
      throws AssemblyException {
    String url = props.path("stackTemplateAssetObjectUrl").asText("");
    if (url.isEmpty()) {
      throw new AssemblyException(
          AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET,
          "stack "
              + id
              + " has no stackTemplateAssetObjectUrl: it was synthesized with a legacy stack"
              + " synthesizer, whose template is not published to the target account; synthesize"
              + " with DefaultStackSynthesizer so cdk-assets publishes it to the bootstrap bucket");
    }
    TemplateObject object;
    try {
      object = TemplateObject.fromAssetObjectUrl(url, account, region);
    } catch (IllegalArgumentException e) {
      throw new AssemblyException(
          AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET,
          "stack " + id + " has an invalid stackTemplateAssetObjectUrl: " + e.getMessage());
    }
    String destinationPrefix = account + "-" + region;
    boolean checked =
        published.stream()
            .anyMatch(
                d ->
                    d.sourcePath().equals(templatePath)
                        && !d.zip()
                        && d.destinationId().startsWith(destinationPrefix)
                        && TemplateObject.resolve(d.bucket(), account, region)
                            .equals(object.bucket())
                        && TemplateObject.resolve(d.key(), account, region).equals(object.key()));
    if (!checked) {
      throw new AssemblyException(
          AssemblyException.Reason.TEMPLATE_NOT_AN_ASSET,
          "stack "
              + id
              + "'s template "
              + object.s3Url()
              + " is not a destination for aws://"
              + account
              + "/"
              + region
              + " of the file asset "
              + templatePath
              + " in the assembly's asset manifests, so its hash was not checked there");
    }
    return object;
  }

  private static StackArtifact stack(
      String id, JsonNode a, JsonNode props, String dir, List<FileDestination> published)
      throws AssemblyException {
    String env = a.path("environment").asText("");
    String[] parts = env.startsWith("aws://") ? env.substring(6).split("/", -1) : new String[0];
    if (parts.length != 2 || parts[0].startsWith("unknown-") || parts[1].startsWith("unknown-")) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          "stack "
              + id
              + " has environment \""
              + env
              + "\"; Cairn deploys only environment-specific stacks (aws://ACCOUNT/REGION)");
    }
    String template = props.path("templateFile").asText("");
    if (ArtifactPath.violation(template).isPresent()) {
      throw new AssemblyException(
          AssemblyException.Reason.MANIFEST_UNREADABLE,
          "stack " + id + " has an unsafe templateFile");
    }
    List<String> deps = new ArrayList<>();
    a.path("dependencies").forEach(d -> deps.add(d.asText()));
    String ssm = props.path("bootstrapStackVersionSsmParameter").asText("");
    TemplateObject templateObject =
        templateObject(id, props, parts[0], parts[1], dir + template, published);
    return new StackArtifact(
        id,
        props.path("stackName").asText(a.path("displayName").asText(id)),
        parts[0],
        parts[1],
        dir + template,
        templateObject,
        strings(props.path("parameters")),
        strings(props.path("tags")),
        deps,
        props.path("requiresBootstrapStackVersion").asInt(0),
        ssm.isEmpty() ? null : ssm,
        props.path("terminationProtection").asBoolean(false),
        notificationArns(id, props, parts[0], parts[1]));
  }

  /**
   * The stack's {@code notificationArns}: SNS topics of the stack's own account and region only.
   * The artifact is CI's content; a topic elsewhere would hand every stack event (resource names,
   * failure reasons) to another account.
   */
  private static List<String> notificationArns(
      String id, JsonNode props, String account, String region) throws AssemblyException {
    List<String> out = new ArrayList<>();
    String own = "arn:" + TemplateObject.partition(region) + ":sns:" + region + ":" + account + ":";
    for (JsonNode n : props.path("notificationArns")) {
      String arn = n.asText("");
      String name = arn.startsWith(own) ? arn.substring(own.length()) : "";
      if (!name.matches("[A-Za-z0-9_-]{1,256}(\\.fifo)?")) {
        throw new AssemblyException(
            AssemblyException.Reason.NOTIFICATION_TOPIC_OUTSIDE_TARGET,
            "stack "
                + id
                + " sends its events to "
                + (arn.isEmpty() ? n.toString() : arn)
                + ", which is not an SNS topic of aws://"
                + account
                + "/"
                + region);
      }
      out.add(arn);
    }
    return out;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /**
   * The stacks for one account and region, in an order that deploys every dependency first (stable:
   * ties keep the manifest's order).
   */
  public List<StackArtifact> planFor(String account, String region) throws AssemblyException {
    Map<String, StackArtifact> selected = new LinkedHashMap<>();
    for (StackArtifact s : stacks) {
      if (s.account().equals(account) && s.region().equals(region)) {
        selected.put(s.artifactId(), s);
      }
    }
    if (selected.isEmpty()) {
      throw new AssemblyException(
          AssemblyException.Reason.NO_STACKS_FOR_ENVIRONMENT,
          "the assembly has no stacks for aws://" + account + "/" + region);
    }
    List<StackArtifact> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> inProgress = new HashSet<>();
    for (String id : selected.keySet()) {
      visit(id, selected, done, inProgress, ordered, new ArrayDeque<>());
    }
    return ordered;
  }

  private static void visit(
      String id,
      Map<String, StackArtifact> selected,
      Set<String> done,
      Set<String> inProgress,
      List<StackArtifact> ordered,
      Deque<String> path)
      throws AssemblyException {
    if (done.contains(id) || !selected.containsKey(id)) {
      return;
    }
    path.addLast(id);
    if (!inProgress.add(id)) {
      throw new AssemblyException(
          AssemblyException.Reason.DEPENDENCY_CYCLE,
          "stack dependencies form a cycle: " + String.join(" -> ", path));
    }
    for (String dep : selected.get(id).dependencies()) {
      visit(dep, selected, done, inProgress, ordered, path);
    }
    inProgress.remove(id);
    done.add(id);
    ordered.add(selected.get(id));
    path.removeLast();
  }
}
