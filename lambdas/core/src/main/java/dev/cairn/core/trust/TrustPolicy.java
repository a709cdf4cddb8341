package dev.cairn.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.SignatureAlgorithm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may sign artifacts, which CDK CLI versions are approved, and which refs may be deployed
 * (schema {@code schema/trust-policy.v1.json}). Read once; immutable.
 */
public final class TrustPolicy {

  public static final String SCHEMA_VERSION = "1";

  /**
   * Accept manifests whose commit signature CI asserted ({@code --git-signature-verified}) instead
   * of verifying it ({@code --repo --allowed-signers}). Off unless a policy says so.
   */
  public static final String ALLOW_ASSERTED_GIT_SIGNATURE = "allow_asserted_git_signature";

  /**
   * The keys that bless CDK contexts (the context generator's signer, e.g. KMS {@code
   * alias/cdk-context-signer}): gate 6 accepts a context only when one of them signed it. Never the
   * artifact signers: CI must not be able to bless what it builds with.
   */
  public static final String TRUSTED_CONTEXT_SIGNERS = "trusted_context_signers";

  private static final Set<String> TOP_LEVEL =
      Set.of(
          "schema_version",
          "trusted_signers",
          TRUSTED_CONTEXT_SIGNERS,
          "allowed_cdk_cli_versions",
          "required_source_refs",
          ALLOW_ASSERTED_GIT_SIGNATURE);

  private static final Set<String> SIGNER_FIELDS = Set.of("identity", "algorithm", "public_key");

  private final Map<String, TrustedSigner> signers;
  private final List<String> allowedCdkCliVersions;
  private final List<String> requiredSourceRefs;
  private final boolean allowAssertedGitSignature;
  private final List<TrustedSigner> contextSigners;

  private TrustPolicy(
      Map<String, TrustedSigner> signers,
      List<String> cliVersions,
      List<String> sourceRefs,
      boolean allowAssertedGitSignature,
      List<TrustedSigner> contextSigners) {
    this.signers = signers;
    this.contextSigners = List.copyOf(contextSigners);
    this.allowedCdkCliVersions = List.copyOf(cliVersions);
    this.requiredSourceRefs = List.copyOf(sourceRefs);
    this.allowAssertedGitSignature = allowAssertedGitSignature;
  }

  /** Parses and checks a trust policy document; every key is parsed now, not at first use. */
  public static TrustPolicy parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new TrustPolicyException("trust policy is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof ObjectNode obj)) {
      throw new TrustPolicyException("trust policy must be a JSON object");
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP_LEVEL.contains(f)) {
        throw new TrustPolicyException("trust policy has unknown field \"" + f + "\"");
      }
    }
    if (!SCHEMA_VERSION.equals(obj.path("schema_version").asText(null))) {
      throw new TrustPolicyException("trust policy schema_version must be \"1\"");
    }
    Map<String, TrustedSigner> signers = new LinkedHashMap<>();
    JsonNode list = obj.get("trusted_signers");
    if (!(list instanceof ArrayNode array) || array.isEmpty()) {
      throw new TrustPolicyException("trusted_signers must be a non-empty array");
    }
    for (JsonNode entry : array) {
      TrustedSigner signer = signer(entry);
      if (signers.putIfAbsent(signer.identity(), signer) != null) {
        throw new TrustPolicyException("signer " + signer.identity() + " is listed twice");
      }
    }
    JsonNode asserted = obj.get(ALLOW_ASSERTED_GIT_SIGNATURE);
    if (asserted != null && !asserted.isBoolean()) {
      throw new TrustPolicyException(ALLOW_ASSERTED_GIT_SIGNATURE + " must be a boolean");
    }
    List<TrustedSigner> contextSigners = new ArrayList<>();
    JsonNode contextList = obj.get(TRUSTED_CONTEXT_SIGNERS);
    if (contextList != null) {
      if (!(contextList instanceof ArrayNode contextArray)) {
        throw new TrustPolicyException(TRUSTED_CONTEXT_SIGNERS + " must be an array");
      }
      for (JsonNode entry : contextArray) {
        TrustedSigner signer = signer(entry);
        if (signers.containsKey(signer.identity())) {
          throw new TrustPolicyException(
              "signer "
                  + signer.identity()
                  + " may not both sign artifacts and bless the contexts they are built with");
        }
        contextSigners.add(signer);
      }
    }
    return new TrustPolicy(
        signers,
        strings(obj, "allowed_cdk_cli_versions"),
        strings(obj, "required_source_refs"),
        asserted != null && asserted.booleanValue(),
        contextSigners);
  }

  /** This policy with {@code contextSigners} as its context-blessing keys. */
  public TrustPolicy withContextSigners(List<SignerSpec> contextSigners) {
    ObjectNode json = toJson();
    ArrayNode arr = json.putArray(TRUSTED_CONTEXT_SIGNERS);
    for (SignerSpec s : contextSigners) {
      arr.addObject()
          .put("identity", s.identity())
          .put("algorithm", s.algorithm().name())
          .put("public_key", s.publicKey());
    }
    return parse(Json.compact(json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The keys that bless contexts (empty: no context can be verified as blessed). */
  public List<TrustedSigner> contextSigners() {
    return contextSigners;
  }

  /** Builds a policy in code (CLI {@code trust init}, tests). */
  public static TrustPolicy of(
      List<SignerSpec> signers, List<String> cliVersions, List<String> sourceRefs) {
    return of(signers, cliVersions, sourceRefs, false);
  }

  /** As {@link #of(List, List, List)}, stating whether asserted commit signatures are accepted. */
  public static TrustPolicy of(
      List<SignerSpec> signers,
      List<String> cliVersions,
      List<String> sourceRefs,
      boolean allowAssertedGitSignature) {
    ObjectNode json = toJson(signers, cliVersions, sourceRefs);
    if (allowAssertedGitSignature) {
      json.put(ALLOW_ASSERTED_GIT_SIGNATURE, true);
    }
    return parse(Json.compact(json).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The document form of a policy. */
  public static ObjectNode toJson(
      List<SignerSpec> signers, List<String> cliVersions, List<String> sourceRefs) {
    ObjectNode root = Json.object();
    root.put("schema_version", SCHEMA_VERSION);
    ArrayNode arr = root.putArray("trusted_signers");
    for (SignerSpec s : signers) {
      arr.addObject()
          .put("identity", s.identity())
          .put("algorithm", s.algorithm().name())
          .put("public_key", s.publicKey());
    }
    cliVersions.forEach(root.putArray("allowed_cdk_cli_versions")::add);
    sourceRefs.forEach(root.putArray("required_source_refs")::add);
    return root;
  }

  /** The document form of this policy. */
  public ObjectNode toJson() {
    List<SignerSpec> specs = new ArrayList<>();
    signers
        .values()
        .forEach(s -> specs.add(new SignerSpec(s.identity(), s.algorithm(), s.publicKeyText())));
    ObjectNode json = toJson(specs, allowedCdkCliVersions, requiredSourceRefs);
    if (allowAssertedGitSignature) {
      json.put(ALLOW_ASSERTED_GIT_SIGNATURE, true);
    }
    if (!contextSigners.isEmpty()) {
      ArrayNode arr = json.putArray(TRUSTED_CONTEXT_SIGNERS);
      contextSigners.forEach(
          s ->
              arr.addObject()
                  .put("identity", s.identity())
                  .put("algorithm", s.algorithm().name())
                  .put("public_key", s.publicKeyText()));
    }
    return json;
  }

  /** True when manifests whose commit signature CI only asserted are accepted. */
  public boolean allowsAssertedGitSignature() {
    return allowAssertedGitSignature;
  }

  /** The signer pinned for {@code identity}, if any. */
  public Optional<TrustedSigner> signer(String identity) {
    return Optional.ofNullable(signers.get(identity));
  }

  public List<TrustedSigner> signers() {
    return List.copyOf(signers.values());
  }

  public List<String> allowedCdkCliVersions() {
    return allowedCdkCliVersions;
  }

  public List<String> requiredSourceRefs() {
    return requiredSourceRefs;
  }

  /** A signer as written in a policy document. */
  public record SignerSpec(String identity, SignatureAlgorithm algorithm, String publicKey) {}

  private static TrustedSigner signer(JsonNode entry) {
    if (!(entry instanceof ObjectNode o)) {
      throw new TrustPolicyException("each trusted signer must be an object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!SIGNER_FIELDS.contains(f)) {
        throw new TrustPolicyException("trusted signer has unknown field \"" + f + "\"");
      }
    }
    String identity = o.path("identity").asText("");
    if (identity.isBlank() || identity.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
      throw new TrustPolicyException("a trusted signer has a missing or malformed identity");
    }
    SignatureAlgorithm algorithm;
    try {
      algorithm = SignatureAlgorithm.valueOf(o.path("algorithm").asText(""));
    } catch (IllegalArgumentException e) {
      throw new TrustPolicyException(
          "signer "
              + identity
              + ": algorithm must be ECDSA_SHA_256, RSASSA_PSS_SHA_256 or OPENPGP");
    }
    String key = o.path("public_key").asText("");
    if (key.isBlank()) {
      throw new TrustPolicyException("signer " + identity + " has no public_key");
    }
    return new TrustedSigner(identity, algorithm, key);
  }

  private static List<String> strings(ObjectNode obj, String field) {
    JsonNode node = obj.get(field);
    if (!(node instanceof ArrayNode arr) || arr.isEmpty()) {
      throw new TrustPolicyException(field + " must be a non-empty array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : arr) {
      if (!n.isTextual() || n.textValue().isBlank()) {
        throw new TrustPolicyException(field + " must contain only non-empty strings");
      }
      out.add(n.textValue());
    }
    return out;
  }
}
