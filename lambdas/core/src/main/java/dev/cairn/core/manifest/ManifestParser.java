package dev.cairn.core.manifest;

import static dev.cairn.core.manifest.ManifestFields.*;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest.AssetDeclaration;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads {@code artifact-manifest.json} strictly (gate 1, {@code MANIFEST_STRUCTURE}): bounded size,
 * no duplicate keys, bounded depth, no unknown fields, every field typed and formatted. Hostile
 * input yields a {@link Failure}, never an exception or an unbounded allocation.
 */
public final class ManifestParser {

  /** Largest manifest accepted. A 100,000-file artifact needs about 15 MiB. */
  public static final int MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

  /** Most files one artifact may list. */
  public static final int MAX_FILES = 500_000;

  public static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  public static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  static final Pattern SOURCE_REF_FORMAT = Pattern.compile("refs/(heads|tags)/[^\\s\\\\]{1,250}");
  static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(-[0-9A-Za-z.-]{1,64})?");
  static final Pattern UTC_TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
  static final Pattern IDENTITY = Pattern.compile("[\\x21-\\x7e]{1,512}");
  static final Pattern BASE64ISH = Pattern.compile("[A-Za-z0-9+/=\\s]*");

  private ManifestParser() {}

  /** The outcome of parsing: a manifest, or the structural failure that stopped it. */
  public sealed interface Result {
    /** A structurally valid manifest and the parsed JSON object it came from. */
    record Parsed(ArtifactManifest manifest, ObjectNode json) implements Result {}

    /** The first structural failure. */
    record Invalid(Failure failure) implements Result {}
  }

  /** Reads at most {@link #MAX_MANIFEST_BYTES} (+1 to detect excess) and parses. */
  public static Result parse(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    if (bytes.length > MAX_MANIFEST_BYTES) {
      return invalid(
          FailureCode.MANIFEST_TOO_LARGE,
          "the manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    return parse(bytes);
  }

  /** Parses manifest bytes. */
  public static Result parse(byte[] bytes) {
    if (bytes.length > MAX_MANIFEST_BYTES) {
      return invalid(
          FailureCode.MANIFEST_TOO_LARGE,
          "the manifest is " + bytes.length + " bytes; the limit is " + MAX_MANIFEST_BYTES);
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (StreamConstraintsException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.contains("nesting depth")) {
        return invalid(
            FailureCode.MANIFEST_TOO_DEEP,
            "JSON nesting exceeds " + Json.MAX_NESTING_DEPTH + " levels");
      }
      return invalid(FailureCode.MANIFEST_TOO_LARGE, "a JSON value exceeds a size limit: " + m);
    } catch (JsonParseException e) {
      String m = String.valueOf(e.getOriginalMessage());
      if (m.startsWith("Duplicate field")) {
        return invalid(FailureCode.MANIFEST_DUPLICATE_KEY, m);
      }
      return invalid(FailureCode.MANIFEST_MALFORMED_JSON, oneLine(m));
    } catch (IOException | RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Duplicate field")) {
        return invalid(FailureCode.MANIFEST_DUPLICATE_KEY, oneLine(m));
      }
      return invalid(FailureCode.MANIFEST_MALFORMED_JSON, oneLine(m));
    }
    if (root == null || root.isMissingNode()) {
      return invalid(FailureCode.MANIFEST_MALFORMED_JSON, "the manifest is empty");
    }
    if (!(root instanceof ObjectNode obj)) {
      return invalid(
          FailureCode.MANIFEST_NOT_OBJECT,
          "the manifest is a JSON " + root.getNodeType().name().toLowerCase() + ", not an object");
    }
    try {
      ArtifactManifest manifest = read(obj);
      if (mayHoldUnpairedSurrogate(bytes)) {
        requireWellFormedStrings(obj);
      }
      return new Result.Parsed(manifest, obj);
    } catch (StructureException e) {
      return new Result.Invalid(e.failure);
    }
  }

  private static ArtifactManifest read(ObjectNode obj) {
    // schema_version first: an unknown version means every other rule may differ.
    JsonNode version = obj.get(SCHEMA_VERSION);
    if (version == null) {
      throw missing(SCHEMA_VERSION);
    }
    if (!version.isTextual()) {
      throw type(SCHEMA_VERSION, "a string");
    }
    if (!ArtifactManifest.SCHEMA_VERSION.equals(version.textValue())) {
      throw new StructureException(
          Failure.of(
              FailureCode.MANIFEST_UNSUPPORTED_SCHEMA_VERSION,
              "schema_version is \""
                  + clip(version.textValue())
                  + "\"; this verifier reads \""
                  + ArtifactManifest.SCHEMA_VERSION
                  + "\""));
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!KNOWN.contains(name)) {
        throw new StructureException(
            Failure.of(FailureCode.MANIFEST_UNKNOWN_FIELD, "unknown field \"" + clip(name) + "\""));
      }
    }
    for (String name : REQUIRED) {
      if (!obj.has(name)) {
        throw missing(name);
      }
    }
    String service = text(obj, SERVICE, SERVICE_NAME, "a service name ([A-Za-z0-9._-], ≤128)");
    String commit = text(obj, COMMIT, COMMIT_SHA, "a full lower-case git commit SHA");
    String sourceRef = text(obj, SOURCE_REF, SOURCE_REF_FORMAT, "a ref like refs/heads/main");
    JsonNode gitSigned = obj.get(GIT_SIGNATURE_VERIFIED);
    if (!gitSigned.isBoolean()) {
      throw type(GIT_SIGNATURE_VERIFIED, "a boolean");
    }
    ArtifactManifest.GitSignature gitSignature = gitSignature(obj.get(GIT_SIGNATURE));
    String artifactSha = hex64(obj, ARTIFACT_SHA256);
    String cliVersion = text(obj, CDK_CLI_VERSION, SEMVER, "a semantic version like 2.1148.1");
    String contextHash = hex64(obj, CDK_CONTEXT_HASH);
    ContextBlessReference contextBless = contextBless(obj.get(CDK_CONTEXT_BLESS));
    TreeMap<String, String> files = fileHashes(obj.get(FILE_HASHES));
    TreeMap<String, AssetDeclaration> assets = assets(obj.get(ASSETS));
    Map<String, String> libs = libraryVersions(obj.get(CDK_LIBRARY_VERSIONS));
    String buildTime =
        text(obj, BUILD_TIME, UTC_TIMESTAMP, "an ISO 8601 UTC time like 2026-01-31T12:00:00Z");
    try {
      Instant.parse(buildTime);
    } catch (DateTimeParseException e) {
      throw format(BUILD_TIME, "is not a real date and time");
    }
    String commitTime = null;
    if (obj.has(COMMIT_TIME)) {
      commitTime =
          text(obj, COMMIT_TIME, UTC_TIMESTAMP, "an RFC 3339 UTC time like 2026-01-31T12:00:00Z");
      try {
        Instant.parse(commitTime);
      } catch (DateTimeParseException e) {
        throw format(COMMIT_TIME, "is not a real date and time");
      }
    }
    JsonNode duration = obj.get(BUILD_DURATION_SECONDS);
    if (!duration.isNumber()) {
      throw type(BUILD_DURATION_SECONDS, "a number");
    }
    double seconds = duration.asDouble();
    if (!(seconds >= 0) || Double.isInfinite(seconds) || seconds > 31_536_000) {
      throw format(BUILD_DURATION_SECONDS, "must be between 0 and one year of seconds");
    }
    String identity = text(obj, SIGNING_IDENTITY, IDENTITY, "a printable identity without spaces");
    JsonNode sig = obj.get(SIGNATURE);
    if (!sig.isTextual()) {
      throw type(SIGNATURE, "a string");
    }
    // An empty signature is present and a string: the SIGNATURE gate refuses it as malformed.
    return new ArtifactManifest(
        version.textValue(),
        service,
        commit,
        sourceRef,
        gitSigned.booleanValue(),
        artifactSha,
        cliVersion,
        contextHash,
        files,
        assets,
        libs,
        buildTime,
        seconds,
        identity,
        sig.textValue(),
        gitSignature,
        commitTime,
        contextBless);
  }

  /** {@code cdk_context_bless}: exactly {@code object_key} and {@code version_id}, or absent. */
  private static ContextBlessReference contextBless(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw type(CDK_CONTEXT_BLESS, "an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!ContextBlessReference.OBJECT_KEY.equals(name)
          && !ContextBlessReference.VERSION_ID.equals(name)) {
        throw new StructureException(
            Failure.of(
                FailureCode.MANIFEST_UNKNOWN_FIELD,
                "unknown field \"" + clip(name) + "\" in " + CDK_CONTEXT_BLESS));
      }
    }
    return ContextBlessReference.fromJson(node)
        .orElseThrow(
            () ->
                format(
                    CDK_CONTEXT_BLESS,
                    "must hold object_key ({env}/{date}.context.json) and version_id (an S3"
                        + " version id)"));
  }

  /**
   * RFC 8785 canonicalizes I-JSON (RFC 7493), which forbids unpaired surrogates: the canonical
   * UTF-8 of {@code "\ud800"} and {@code "\udbff"} would be the same replacement byte, so an edit
   * of such a string would keep the signature valid. Refuse them anywhere, keys included.
   */
  private static void requireWellFormedStrings(JsonNode node) {
    if (node.isTextual()) {
      if (hasUnpairedSurrogate(node.textValue())) {
        throw new StructureException(
            Failure.of(
                FailureCode.MANIFEST_FIELD_FORMAT,
                "a string value holds an unpaired UTF-16 surrogate (not I-JSON)"));
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (hasUnpairedSurrogate(e.getKey())) {
          throw new StructureException(
              Failure.of(
                  FailureCode.MANIFEST_FIELD_FORMAT,
                  "a member name holds an unpaired UTF-16 surrogate (not I-JSON)"));
        }
        requireWellFormedStrings(e.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        requireWellFormedStrings(element);
      }
    }
  }

  /**
   * Whether the JSON text could decode to a string with an unpaired surrogate at all: only through
   * a backslash-u escape, or the UTF-8 lead byte 0xED of the surrogate range. A character above
   * U+FFFF, written in UTF-8, decodes to a pair. Without either, the walk over every string of a
   * 10,000-entry manifest is skipped (a fresh JVM runs it in the interpreter).
   */
  static boolean mayHoldUnpairedSurrogate(byte[] json) {
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (b == (byte) 0xED || (b == '\\' && i + 1 < json.length && json[i + 1] == 'u')) {
        return true;
      }
    }
    return false;
  }

  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static TreeMap<String, String> fileHashes(JsonNode node) {
    if (!node.isObject()) {
      throw type(FILE_HASHES, "an object of path → SHA-256");
    }
    if (node.isEmpty()) {
      throw format(FILE_HASHES, "lists no files");
    }
    if (node.size() > MAX_FILES) {
      throw new StructureException(
          Failure.of(
              FailureCode.MANIFEST_TOO_LARGE,
              "file_hashes lists " + node.size() + " files; the limit is " + MAX_FILES));
    }
    // In the order written; a manifest Cairn wrote lists its paths sorted, and a TreeMap is then
    // built from them in one pass rather than with a descent per path.
    List<Map.Entry<String, String>> listed = new ArrayList<>(node.size());
    boolean sorted = true;
    Map<String, String> folded = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = e.getKey();
      var why = ArtifactPath.violation(path);
      if (why.isPresent()) {
        throw new StructureException(
            Failure.at(
                FailureCode.MANIFEST_UNSAFE_PATH,
                clip(path),
                "file_hashes path \"" + clip(path) + "\" " + why.get()));
      }
      if (ArtifactLayout.isReserved(path)) {
        throw new StructureException(
            Failure.at(
                FailureCode.MANIFEST_RESERVED_PATH,
                path,
                "file_hashes lists \"" + path + "\", a name Cairn reserves beside the artifact"));
      }
      String previous = folded.putIfAbsent(ArtifactPath.caseFoldKey(path), path);
      if (previous != null) {
        throw new StructureException(
            Failure.at(
                FailureCode.MANIFEST_PATH_CASE_COLLISION,
                path,
                "\"" + path + "\" and \"" + previous + "\" differ only in letter case"));
      }
      if (!e.getValue().isTextual()) {
        throw new StructureException(
            Failure.at(
                FailureCode.MANIFEST_FIELD_TYPE,
                path,
                "file_hashes[\"" + path + "\"] must be a string"));
      }
      if (!Sha256.isHex64(e.getValue().textValue())) {
        throw new StructureException(
            Failure.at(
                FailureCode.MANIFEST_FIELD_FORMAT,
                path,
                "file_hashes[\"" + path + "\"] must be 64 lower-case hex characters"));
      }
      sorted =
          sorted
              && (listed.isEmpty() || listed.get(listed.size() - 1).getKey().compareTo(path) < 0);
      listed.add(Map.entry(path, e.getValue().textValue()));
    }
    if (sorted) {
      return new TreeMap<>(new SortedEntries(listed));
    }
    TreeMap<String, String> files = new TreeMap<>();
    for (Map.Entry<String, String> e : listed) {
      files.put(e.getKey(), e.getValue());
    }
    return files;
  }

  /**
   * Entries already in ascending key order, seen as a naturally ordered {@link SortedMap}: what
   * {@code new TreeMap<>(sortedMap)} needs to build its tree in one pass. Only what that
   * constructor calls is here.
   */
  private static final class SortedEntries extends AbstractMap<String, String>
      implements SortedMap<String, String> {
    private final List<Map.Entry<String, String>> entries;

    SortedEntries(List<Map.Entry<String, String>> entries) {
      this.entries = entries;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, String>> iterator() {
          return entries.iterator();
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public Comparator<? super String> comparator() {
      return null;
    }

    @Override
    public SortedMap<String, String> subMap(String fromKey, String toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, String> headMap(String toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, String> tailMap(String fromKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
      return entries.get(0).getKey();
    }

    @Override
    public String lastKey() {
      return entries.get(entries.size() - 1).getKey();
    }
  }

  private static TreeMap<String, AssetDeclaration> assets(JsonNode node) {
    if (!node.isObject()) {
      throw type(ASSETS, "an object of asset id → {hash, s3Uri?, ecrUri?}");
    }
    TreeMap<String, AssetDeclaration> assets = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      String where = "assets[\"" + clip(id) + "\"]";
      if (id.isEmpty() || id.length() > 256) {
        throw new StructureException(
            Failure.of(FailureCode.MANIFEST_FIELD_FORMAT, "assets has an empty or overlong id"));
      }
      if (!(e.getValue() instanceof ObjectNode decl)) {
        throw new StructureException(
            Failure.of(FailureCode.MANIFEST_FIELD_TYPE, where + " must be an object"));
      }
      for (Iterator<String> names = decl.fieldNames(); names.hasNext(); ) {
        String n = names.next();
        if (!n.equals(ASSET_HASH) && !n.equals(ASSET_S3_URI) && !n.equals(ASSET_ECR_URI)) {
          throw new StructureException(
              Failure.of(
                  FailureCode.MANIFEST_UNKNOWN_FIELD,
                  where + " has unknown field \"" + clip(n) + "\""));
        }
      }
      JsonNode hash = decl.get(ASSET_HASH);
      if (hash == null) {
        throw new StructureException(
            Failure.of(FailureCode.MANIFEST_MISSING_FIELD, where + " has no \"hash\""));
      }
      if (!hash.isTextual() || !Sha256.isHex64(hash.textValue())) {
        throw new StructureException(
            Failure.of(
                hash.isTextual()
                    ? FailureCode.MANIFEST_FIELD_FORMAT
                    : FailureCode.MANIFEST_FIELD_TYPE,
                where + ".hash must be 64 lower-case hex characters"));
      }
      String s3 = optionalUri(decl, ASSET_S3_URI, where, "s3://");
      String ecr = optionalUri(decl, ASSET_ECR_URI, where, "");
      if (ecr != null && ImageReference.parse(ecr).isEmpty()) {
        throw new StructureException(
            Failure.of(
                FailureCode.MANIFEST_FIELD_FORMAT,
                where
                    + "."
                    + ASSET_ECR_URI
                    + " is not an image reference <registry>/<repository>:<tag>[@sha256:<hex>]"));
      }
      assets.put(id, new AssetDeclaration(hash.textValue(), s3, ecr));
    }
    return assets;
  }

  private static String optionalUri(ObjectNode decl, String name, String where, String prefix) {
    JsonNode v = decl.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new StructureException(
          Failure.of(FailureCode.MANIFEST_FIELD_TYPE, where + "." + name + " must be a string"));
    }
    String s = v.textValue();
    if (!s.startsWith(prefix)
        || s.length() <= prefix.length()
        || s.length() > 2048
        || s.contains(" ")) {
      throw new StructureException(
          Failure.of(
              FailureCode.MANIFEST_FIELD_FORMAT,
              where
                  + "."
                  + name
                  + " is not a valid "
                  + (prefix.isEmpty() ? "image URI" : prefix + " URI")));
    }
    return s;
  }

  private static final Set<String> GIT_SIGNATURE_MEMBERS =
      Set.of("method", "signer", "principal", "required_ref");

  /** {@code git_signature}: optional; a method the build knows, and short printable strings. */
  private static ArtifactManifest.GitSignature gitSignature(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw type(GIT_SIGNATURE, "an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!GIT_SIGNATURE_MEMBERS.contains(n)) {
        throw new StructureException(
            Failure.of(
                FailureCode.MANIFEST_UNKNOWN_FIELD,
                "git_signature has unknown field \"" + clip(n) + "\""));
      }
      JsonNode v = node.get(n);
      if (!v.isTextual() || v.textValue().length() > 512) {
        throw type(GIT_SIGNATURE + "." + n, "a string of at most 512 characters");
      }
    }
    String method = node.path("method").asText("");
    if (!Set.of("openpgp", "ssh", ArtifactManifest.GitSignature.ASSERTED).contains(method)) {
      throw format(
          GIT_SIGNATURE, "method must be openpgp, ssh or asserted; got \"" + clip(method) + "\"");
    }
    return new ArtifactManifest.GitSignature(
        method,
        node.path("signer").asText(null),
        node.path("principal").asText(null),
        node.path("required_ref").asText(null));
  }

  private static Map<String, String> libraryVersions(JsonNode node) {
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw type(CDK_LIBRARY_VERSIONS, "an object of library → version");
    }
    Map<String, String> libs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new StructureException(
            Failure.of(
                FailureCode.MANIFEST_FIELD_TYPE,
                "cdk_library_versions[\"" + clip(e.getKey()) + "\"] must be a string"));
      }
      libs.put(e.getKey(), e.getValue().textValue());
    }
    return libs;
  }

  private static String text(ObjectNode obj, String name, Pattern pattern, String expected) {
    JsonNode v = obj.get(name);
    if (!v.isTextual()) {
      throw type(name, "a string");
    }
    if (!pattern.matcher(v.textValue()).matches()) {
      throw format(name, "must be " + expected + "; got \"" + clip(v.textValue()) + "\"");
    }
    return v.textValue();
  }

  private static String hex64(ObjectNode obj, String name) {
    JsonNode v = obj.get(name);
    if (!v.isTextual()) {
      throw type(name, "a string");
    }
    if (!Sha256.isHex64(v.textValue())) {
      throw format(name, "must be 64 lower-case hex characters (a SHA-256)");
    }
    return v.textValue();
  }

  private static StructureException missing(String name) {
    return new StructureException(
        Failure.of(
            FailureCode.MANIFEST_MISSING_FIELD, "required field \"" + name + "\" is missing"));
  }

  private static StructureException type(String name, String expected) {
    return new StructureException(
        Failure.of(FailureCode.MANIFEST_FIELD_TYPE, "\"" + name + "\" must be " + expected));
  }

  private static StructureException format(String name, String why) {
    return new StructureException(
        Failure.of(FailureCode.MANIFEST_FIELD_FORMAT, "\"" + name + "\" " + why));
  }

  private static Result invalid(FailureCode code, String detail) {
    return new Result.Invalid(Failure.of(code, detail));
  }

  static String clip(String s) {
    String oneLine = oneLine(s);
    return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 400));
    for (int i = 0; i < s.length() && b.length() < 400; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  /** Carries the first structural failure out of the recursive reader. */
  private static final class StructureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Failure failure;

    StructureException(Failure failure) {
      super(failure.detail(), null, false, false);
      this.failure = failure;
    }
  }

  /** Names used by tests and the schema check. */
  static List<String> requiredFields() {
    return REQUIRED;
  }
}
