package dev.cairn.core.override;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.core.signature.SignatureAlgorithm;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicyException;
import dev.cairn.core.trust.TrustedSigner;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operators' keys: a trust policy separate from CI's. A key that CI's policy trusts is refused
 * here at load time, so CI's artifact key can never authorize an override.
 */
public final class OperatorTrust {

  private final Map<String, TrustedSigner> operators;
  private final Set<String> ciIdentities;
  private final Set<String> ciFingerprints;

  private OperatorTrust(Map<String, TrustedSigner> operators, TrustPolicy ci) {
    this.operators = operators;
    this.ciIdentities = new HashSet<>();
    this.ciFingerprints = new HashSet<>();
    for (TrustedSigner s : ci.signers()) {
      ciIdentities.add(s.identity());
      ciFingerprints.add(s.keyFingerprint());
    }
    for (TrustedSigner op : operators.values()) {
      if (ciFingerprints.contains(op.keyFingerprint()) || ciIdentities.contains(op.identity())) {
        throw new TrustPolicyException(
            "operator "
                + op.identity()
                + " uses a key or identity that CI's trust policy trusts; an operator key must be distinct from CI's");
      }
    }
  }

  /**
   * Parses {@code {"schema_version":"1","operators":[{identity, algorithm, public_key}]}} and
   * checks it against CI's trust policy.
   */
  public static OperatorTrust parse(byte[] json, TrustPolicy ciPolicy) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new TrustPolicyException("operator trust is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof ObjectNode obj) || !"1".equals(obj.path("schema_version").asText(null))) {
      throw new TrustPolicyException("operator trust must be an object with schema_version \"1\"");
    }
    JsonNode list = obj.path("operators");
    if (!list.isArray() || list.isEmpty()) {
      throw new TrustPolicyException("operators must be a non-empty array");
    }
    Map<String, TrustedSigner> ops = new LinkedHashMap<>();
    for (JsonNode o : list) {
      SignatureAlgorithm alg;
      try {
        alg = SignatureAlgorithm.valueOf(o.path("algorithm").asText(""));
      } catch (IllegalArgumentException e) {
        throw new TrustPolicyException(
            "operator " + o.path("identity").asText("?") + " has an unknown algorithm");
      }
      TrustedSigner s =
          TrustedSigner.of(o.path("identity").asText(""), alg, o.path("public_key").asText(""));
      if (s.identity().isBlank() || ops.putIfAbsent(s.identity(), s) != null) {
        throw new TrustPolicyException("operator identities must be present and unique");
      }
    }
    return new OperatorTrust(ops, ciPolicy);
  }

  /** The document form, for {@code cairn} to write. */
  public static ObjectNode toJson(List<TrustPolicy.SignerSpec> operators) {
    ObjectNode root = Json.object();
    root.put("schema_version", "1");
    var arr = root.putArray("operators");
    for (TrustPolicy.SignerSpec s : operators) {
      arr.addObject()
          .put("identity", s.identity())
          .put("algorithm", s.algorithm().name())
          .put("public_key", s.publicKey());
    }
    return root;
  }

  Optional<TrustedSigner> operator(String identity) {
    return Optional.ofNullable(operators.get(identity));
  }

  boolean isCiIdentity(String identity) {
    return ciIdentities.contains(identity);
  }
}
