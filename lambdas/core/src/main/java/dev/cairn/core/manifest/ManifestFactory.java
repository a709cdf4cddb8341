package dev.cairn.core.manifest;

import static dev.cairn.core.manifest.ManifestFields.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.port.ManifestSigner;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds and signs manifests: what CI runs after {@code cdk synth}. It refuses anything the
 * verifier would refuse (symlinks, unsafe or colliding paths, reserved names), so a bad artifact
 * fails in CI rather than at deploy time.
 */
public final class ManifestFactory {

  private ManifestFactory() {}

  /** What CI knows about the build, beyond the files themselves. */
  public record BuildFacts(
      String service,
      String commit,
      String sourceRef,
      boolean gitSignatureVerified,
      String cdkCliVersion,
      String cdkContextHash,
      Map<String, String> cdkLibraryVersions,
      String buildTime,
      double buildDurationSeconds,
      ArtifactManifest.GitSignature gitSignature,
      String commitTime) {
    public BuildFacts {
      cdkLibraryVersions = Map.copyOf(cdkLibraryVersions);
      if (gitSignature != null && !gitSignatureVerified) {
        throw new IllegalArgumentException(
            "a verified git signature with git_signature_verified false");
      }
    }

    /**
     * Facts whose commit signature CI asserts (recorded as {@code "method": "asserted"}), without a
     * commit time.
     */
    public BuildFacts(
        String service,
        String commit,
        String sourceRef,
        boolean gitSignatureVerified,
        String cdkCliVersion,
        String cdkContextHash,
        Map<String, String> cdkLibraryVersions,
        String buildTime,
        double buildDurationSeconds) {
      this(
          service,
          commit,
          sourceRef,
          gitSignatureVerified,
          cdkCliVersion,
          cdkContextHash,
          cdkLibraryVersions,
          buildTime,
          buildDurationSeconds,
          null,
          null);
    }

    /** These facts with a commit signature {@code cairn manifest create} verified itself. */
    public BuildFacts withGitSignature(ArtifactManifest.GitSignature verified) {
      return new BuildFacts(
          service,
          commit,
          sourceRef,
          gitSignatureVerified,
          cdkCliVersion,
          cdkContextHash,
          cdkLibraryVersions,
          buildTime,
          buildDurationSeconds,
          verified,
          commitTime);
    }

    /** These facts with the commit's time (RFC 3339 UTC), where lead time starts. */
    public BuildFacts withCommitTime(String time) {
      return new BuildFacts(
          service,
          commit,
          sourceRef,
          gitSignatureVerified,
          cdkCliVersion,
          cdkContextHash,
          cdkLibraryVersions,
          buildTime,
          buildDurationSeconds,
          gitSignature,
          time);
    }
  }

  /**
   * The artifact cannot become a manifest (a symlink, an unsafe path, an unreadable asset
   * manifest).
   */
  public static final class UnpublishableArtifactException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnpublishableArtifactException(String message) {
      super(message);
    }
  }

  /**
   * Hashes every file of {@code source} and returns the unsigned manifest, fields in the spec's
   * order. {@code signing_identity} and {@code signature} are added by {@link #sign}.
   */
  public static ObjectNode create(ArtifactSource source, BuildFacts facts)
      throws IOException, UnpublishableArtifactException {
    TreeMap<String, String> files = new TreeMap<>();
    Map<String, String> folded = new HashMap<>();
    List<String> problems = new ArrayList<>();
    byte[] buffer = new byte[Sha256.BUFFER_SIZE];
    for (ArtifactSource.Entry e : source.list()) {
      var why = ArtifactPath.violation(e.path());
      if (why.isPresent()) {
        problems.add(e.path() + " " + why.get());
      } else if (e.kind() != ArtifactSource.Kind.FILE) {
        problems.add(
            e.path()
                + " is "
                + (e.kind() == ArtifactSource.Kind.SYMLINK
                    ? "a symbolic link"
                    : "not a regular file"));
      } else if (folded.putIfAbsent(ArtifactPath.caseFoldKey(e.path()), e.path()) != null) {
        problems.add(
            e.path()
                + " differs from "
                + folded.get(ArtifactPath.caseFoldKey(e.path()))
                + " only in letter case");
      } else {
        try (InputStream in = source.open(e.path())) {
          files.put(e.path(), Sha256.hash(in, buffer).hex());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new UnpublishableArtifactException(
          "the artifact cannot be published: "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
    }
    if (files.isEmpty()) {
      throw new UnpublishableArtifactException(source.describe() + " holds no files");
    }
    List<CloudAssemblyAssets.Asset> assets;
    try {
      assets = CloudAssemblyAssets.read(source, files);
    } catch (CloudAssemblyAssets.InvalidAssetManifestException e) {
      throw new UnpublishableArtifactException(e.path() + ": " + e.getMessage());
    }
    ObjectNode m = Json.object();
    m.put(SCHEMA_VERSION, ArtifactManifest.SCHEMA_VERSION);
    m.put(SERVICE, facts.service());
    m.put(COMMIT, facts.commit());
    m.put(SOURCE_REF, facts.sourceRef());
    m.put(GIT_SIGNATURE_VERIFIED, facts.gitSignatureVerified());
    if (facts.gitSignature() != null) {
      ArtifactManifest.GitSignature g = facts.gitSignature();
      ObjectNode gs = m.putObject(GIT_SIGNATURE).put("method", g.method());
      if (g.signer() != null) {
        gs.put("signer", g.signer());
      }
      if (g.principal() != null) {
        gs.put("principal", g.principal());
      }
      if (g.requiredRef() != null) {
        gs.put("required_ref", g.requiredRef());
      }
    } else if (facts.gitSignatureVerified()) {
      m.putObject(GIT_SIGNATURE).put("method", ArtifactManifest.GitSignature.ASSERTED);
    }
    m.put(ARTIFACT_SHA256, DirectoryHash.compute(files));
    m.put(CDK_CLI_VERSION, facts.cdkCliVersion());
    m.put(CDK_CONTEXT_HASH, facts.cdkContextHash());
    if (!facts.cdkLibraryVersions().isEmpty()) {
      ObjectNode libs = m.putObject(CDK_LIBRARY_VERSIONS);
      new TreeMap<>(facts.cdkLibraryVersions()).forEach(libs::put);
    }
    ObjectNode fh = m.putObject(FILE_HASHES);
    files.forEach(fh::put);
    ObjectNode as = m.putObject(ASSETS);
    for (CloudAssemblyAssets.Asset a : assets) {
      if (a.contentHash() == null) {
        throw new UnpublishableArtifactException(
            "asset " + a.id() + " has no source inside the artifact (" + a.sourcePath() + ")");
      }
      if (as.has(a.id()) && !as.get(a.id()).path(ASSET_HASH).asText().equals(a.contentHash())) {
        throw new UnpublishableArtifactException("asset " + a.id() + " has two different sources");
      }
      as.putObject(a.id()).put(ASSET_HASH, a.contentHash());
    }
    if (facts.commitTime() != null) {
      m.put(COMMIT_TIME, facts.commitTime());
    }
    m.put(BUILD_TIME, facts.buildTime());
    m.put(BUILD_DURATION_SECONDS, facts.buildDurationSeconds());
    return m;
  }

  /**
   * The unsigned manifest with each container image asset's {@code ecrUri}: the image CI pushed,
   * pinned by the digest the registry computed ({@code <registry>/<repository>:<tag>@sha256:...}),
   * so that the signature covers what the tags must still name at deploy time (gate 8). Every image
   * asset of {@code source} needs one, and each must name one of that asset's destinations: an
   * artifact whose images are not pinned cannot be published, rather than be refused at deploy.
   *
   * @param images asset id → pinned image reference
   */
  public static ObjectNode withImages(
      ObjectNode unsigned, ArtifactSource source, Map<String, String> images)
      throws IOException, UnpublishableArtifactException {
    TreeMap<String, String> files = new TreeMap<>();
    unsigned
        .path(FILE_HASHES)
        .fields()
        .forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
    List<CloudAssemblyAssets.Asset> assets;
    try {
      assets = CloudAssemblyAssets.read(source, files);
    } catch (CloudAssemblyAssets.InvalidAssetManifestException e) {
      throw new UnpublishableArtifactException(e.path() + ": " + e.getMessage());
    }
    ObjectNode out = unsigned.deepCopy();
    ObjectNode declared = (ObjectNode) out.path(ASSETS);
    Map<String, List<String>> imageDestinations = new TreeMap<>();
    for (CloudAssemblyAssets.Asset a : assets) {
      if (a.kind() == CloudAssemblyAssets.Kind.DOCKER_IMAGE) {
        imageDestinations.computeIfAbsent(a.id(), k -> new ArrayList<>()).addAll(a.destinations());
      }
    }
    for (Map.Entry<String, String> e : images.entrySet()) {
      if (!imageDestinations.containsKey(e.getKey())) {
        throw new UnpublishableArtifactException(
            "asset " + e.getKey() + " is not a container image asset of the assembly");
      }
    }
    for (Map.Entry<String, List<String>> image : imageDestinations.entrySet()) {
      String id = image.getKey();
      String uri = images.get(id);
      if (uri == null) {
        throw new UnpublishableArtifactException(
            "image asset "
                + id
                + " has no pinned image: give the reference CI pushed,"
                + " <registry>/<repository>:<tag>@sha256:<digest>");
      }
      ImageReference ref =
          ImageReference.parse(uri)
              .filter(ImageReference::pinned)
              .orElseThrow(
                  () ->
                      new UnpublishableArtifactException(
                          "image asset "
                              + id
                              + ": \""
                              + uri
                              + "\" is not <registry>/<repository>:<tag>@sha256:<digest>"));
      if (image.getValue().stream()
          .noneMatch(d -> CloudAssemblyAssets.matchesDestination(ref.location(), d))) {
        throw new UnpublishableArtifactException(
            "image asset "
                + id
                + ": "
                + ref.location()
                + " is none of its destinations "
                + image.getValue());
      }
      ((ObjectNode) declared.path(id)).put(ASSET_ECR_URI, ref.toString());
    }
    return out;
  }

  /**
   * The unsigned manifest with {@code cdk_context_bless}: the blessed context object and version
   * the build fetched its {@code .cdk.context.json} from (placed after {@code cdk_context_hash};
   * the signature covers it like every other field).
   */
  public static ObjectNode withContextBless(ObjectNode unsigned, ContextBlessReference bless) {
    ObjectNode out = unsigned.objectNode();
    unsigned
        .fields()
        .forEachRemaining(
            e -> {
              if (!CDK_CONTEXT_BLESS.equals(e.getKey())) {
                out.set(e.getKey(), e.getValue());
              }
              if (CDK_CONTEXT_HASH.equals(e.getKey())) {
                out.set(CDK_CONTEXT_BLESS, bless.toJson());
              }
            });
    return out;
  }

  /**
   * Signs a manifest in place: sets {@code signing_identity}, then signs the RFC 8785 canonical
   * form of the object without {@code signature}, and stores the base64 signature.
   */
  public static ObjectNode sign(ObjectNode manifest, ManifestSigner signer) {
    byte[] message = signedBytes(manifest, signer.signingIdentity());
    return attachSignature(manifest, signer.signingIdentity(), signer.sign(message));
  }

  /**
   * The exact bytes a signature covers once {@code signingIdentity} is set: the RFC 8785 canonical
   * form of the manifest with that {@code signing_identity} and without {@code signature}. A signer
   * outside Cairn (gpg-agent, a hardware key, {@code aws kms sign}) signs these.
   */
  public static byte[] signedBytes(ObjectNode manifest, String signingIdentity) {
    ObjectNode m = manifest.deepCopy();
    m.remove(SIGNATURE);
    m.put(SIGNING_IDENTITY, signingIdentity);
    return CanonicalJson.canonicalizeWithout(m, SIGNATURE);
  }

  /**
   * The manifest with {@code signing_identity} set and {@code signature} (detached, binary) stored
   * as base64: what {@link #sign} produces when the signature was made elsewhere over {@link
   * #signedBytes}.
   */
  public static ObjectNode attachSignature(
      ObjectNode manifest, String signingIdentity, byte[] signature) {
    ObjectNode m = manifest.deepCopy();
    m.remove(SIGNATURE);
    m.put(SIGNING_IDENTITY, signingIdentity);
    m.put(SIGNATURE, Base64.getEncoder().encodeToString(signature));
    return m;
  }

  /** The SHA-256 of a context file's bytes: the manifest's {@code cdk_context_hash}. */
  public static String contextHash(InputStream contextFile) throws IOException {
    return Sha256.hash(contextFile).hex();
  }
}
