package dev.cairn.core.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.ArtifactSource;
import dev.cairn.core.json.Json;
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
 * signed ones.
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
        out.add(stack(e.getKey(), a, props, dir));
      }
    }
    return version;
  }

  private static StackArtifact stack(String id, JsonNode a, JsonNode props, String dir)
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
    return new StackArtifact(
        id,
        props.path("stackName").asText(a.path("displayName").asText(id)),
        parts[0],
        parts[1],
        dir + template,
        strings(props.path("parameters")),
        strings(props.path("tags")),
        deps,
        props.path("requiresBootstrapStackVersion").asInt(0),
        ssm.isEmpty() ? null : ssm,
        props.path("terminationProtection").asBoolean(false));
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
