package dev.cairn.core.registrar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.failure.RegistrationFailure;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.AssetRef;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.port.DeploymentLedger;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.TransitionRefusedException;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.pipeline.EnvironmentChain;
import dev.cairn.core.pipeline.port.ArtifactStore;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ManifestProvenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Registers a published artifact: the only way a candidate record comes to exist. CI uploads the
 * signed manifest and cdk.out, then asks for {@code {service, commit_sha}} to be registered; CI
 * holds no DynamoDB permission at all. Every field of the record comes from the manifest this use
 * case reads from the candidate bucket itself and verifies (the verifier's gates 1 to 3, same
 * code), from the installation's configuration (environments, region), from the ledger (the
 * previous commit) and from the clock; nothing comes from the request.
 *
 * <p>Steps, each refusing with a stable {@link RegistrationFailure} and an {@code
 * ArtifactRegistrationRefused} audit entry:
 *
 * <ol>
 *   <li>the request is exactly {@code {"service", "commit_sha"}}, well-formed;
 *   <li>the manifest exists at {@code
 *       s3://<candidate>/{service}/{commit_sha}/artifact-manifest.json};
 *   <li>it passes structure, signature (pinned key) and commit provenance for that key;
 *   <li>the candidate record and its {@code ArtifactPublished} entry are written in one
 *       transaction, on condition that no record exists. If one exists with the same manifest (same
 *       {@code artifact_sha256} and {@code build_time}), the registration is idempotent; otherwise
 *       it is refused.
 * </ol>
 */
public final class RegistrationUseCase {

  /** The refusal's audit action; a registration that succeeds is {@code ArtifactPublished}. */
  public static final String REFUSED_ACTION = "ArtifactRegistrationRefused";

  private final DeploymentLedger ledger;
  private final AuditLog audit;
  private final ArtifactStore store;
  private final ArtifactVerifier verifier;
  private final EnvironmentChain chain;
  private final String candidateBucket;
  private final String region;
  private final String registrarId;
  private final Clock clock;

  public RegistrationUseCase(
      DeploymentLedger ledger,
      AuditLog audit,
      ArtifactStore store,
      ArtifactVerifier verifier,
      EnvironmentChain chain,
      String candidateBucket,
      String region,
      String registrarId,
      Clock clock) {
    this.ledger = Objects.requireNonNull(ledger);
    this.audit = Objects.requireNonNull(audit);
    this.store = Objects.requireNonNull(store);
    this.verifier = Objects.requireNonNull(verifier);
    this.chain = Objects.requireNonNull(chain);
    this.candidateBucket = Objects.requireNonNull(candidateBucket);
    this.region = Objects.requireNonNull(region);
    this.registrarId = Objects.requireNonNull(registrarId);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Registers the artifact the request names; the answer says registered or refused (why).
   *
   * @throws UncheckedIOException when the manifest cannot be read (transient: the caller retries)
   */
  public ObjectNode register(byte[] request) {
    ArtifactKey key;
    try {
      // 1. Exactly {service, commit_sha}: a field CI adds is refused, not ignored, so nobody can
      // believe it reaches the record.
      key = parse(request);
    } catch (Refused e) {
      return refuse(null, e);
    }
    try {
      return register(key);
    } catch (Refused e) {
      return refuse(key, e);
    }
  }

  private ObjectNode register(ArtifactKey key) {
    // 2. The manifest, read by the registrar from the candidate bucket.
    String location =
        "s3://"
            + candidateBucket
            + "/"
            + ArtifactLayout.prefix(key.service(), key.commitSha())
            + ArtifactLayout.MANIFEST_FILE;
    byte[] bytes =
        readManifest(key)
            .orElseThrow(
                () ->
                    new Refused(
                        RegistrationFailure.REGISTRATION_MANIFEST_MISSING, "no " + location));

    // 3. Structure, signature against the pinned key, commit provenance for exactly this key.
    ManifestProvenance provenance =
        verifier.verifyProvenance(
            bytes, location, new Expectations(key.service(), key.commitSha(), null, null));
    if (!provenance.verified()) {
      throw new Refused(
          RegistrationFailure.REGISTRATION_MANIFEST_REJECTED,
          provenance.failure().code() + ": " + provenance.failure().detail());
    }
    ArtifactManifest m = provenance.manifest();

    // 4. The record and its audit entry, once.
    ArtifactRecord candidate = candidate(key, m);
    Actor actor = new Actor(ActorRole.CI, m.signingIdentity());
    try {
      ArtifactRecord written = ledger.create(candidate, actor);
      return registered(written, false);
    } catch (TransitionRefusedException e) {
      if (e.reason() != TransitionRefusedException.Reason.ALREADY_EXISTS) {
        throw e;
      }
      ArtifactRecord existing = ledger.find(key).orElseThrow(() -> e);
      if (Objects.equals(existing.artifactSha256(), m.artifactSha256())
          && Objects.equals(existing.buildTime(), buildTime(m))) {
        return registered(existing, true);
      }
      throw new Refused(
          RegistrationFailure.REGISTRATION_CONFLICT,
          key
              + " is registered with artifact_sha256 "
              + existing.artifactSha256()
              + " built "
              + existing.buildTime()
              + "; the manifest in the bucket declares "
              + m.artifactSha256()
              + " built "
              + m.buildTime());
    }
  }

  private Optional<byte[]> readManifest(ArtifactKey key) {
    try {
      return store.readManifest(
          candidateBucket, key.service(), key.commitSha(), ManifestParser.MAX_MANIFEST_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the manifest of " + key, e);
    }
  }

  private ArtifactRecord candidate(ArtifactKey key, ArtifactManifest m) {
    ArtifactRecord base =
        CandidateRecords.candidate(
            key,
            m.artifactSha256(),
            "s3://" + candidateBucket + "/" + ArtifactLayout.prefix(key.service(), key.commitSha()),
            buildTime(m),
            m.cdkCliVersion(),
            m.cdkContextHash(),
            m.cdkLibraryVersions(),
            m.gitSignatureVerified(),
            previousCommit(key, buildTime(m)).orElse(null),
            region,
            chain.environments().stream()
                .map(e -> new CandidateRecords.Environment(e.name(), e.region()))
                .toList());
    Map<String, AssetRef> assets = new LinkedHashMap<>();
    m.assets().forEach((id, a) -> assets.put(id, new AssetRef(a.hash(), a.s3Uri(), a.ecrUri())));
    return base.toBuilder()
        .buildDurationSeconds(Math.round(m.buildDurationSeconds()))
        .assets(assets.isEmpty() ? null : assets)
        .build();
  }

  /** The manifest's build time; the manifest parser refused any text that is not a UTC time. */
  private static Instant buildTime(ArtifactManifest m) {
    return Instant.parse(m.buildTime());
  }

  /** The service's latest registered commit built before this one: the ledger's, not CI's word. */
  private Optional<String> previousCommit(ArtifactKey key, Instant buildTime) {
    ArtifactRecord previous = null;
    for (ArtifactRecord r : ledger.findByService(key.service())) {
      if (r.key().equals(key) || r.buildTime() == null || !r.buildTime().isBefore(buildTime)) {
        continue;
      }
      if (previous == null || r.buildTime().isAfter(previous.buildTime())) {
        previous = r;
      }
    }
    return Optional.ofNullable(previous).map(r -> r.key().commitSha());
  }

  private static ArtifactKey parse(byte[] request) {
    JsonNode doc;
    try {
      doc = Json.parse(request);
    } catch (IOException e) {
      throw new Refused(
          RegistrationFailure.REGISTRATION_MALFORMED, "not a JSON object: " + e.getMessage());
    }
    if (!doc.isObject()) {
      throw new Refused(RegistrationFailure.REGISTRATION_MALFORMED, "not a JSON object");
    }
    for (Iterator<String> names = doc.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("service") && !name.equals("commit_sha")) {
        throw new Refused(
            RegistrationFailure.REGISTRATION_MALFORMED,
            "unexpected field \""
                + abbreviate(name)
                + "\": every recorded field comes from the signed manifest");
      }
    }
    String service = doc.path("service").isTextual() ? doc.get("service").asText() : "";
    String commit = doc.path("commit_sha").isTextual() ? doc.get("commit_sha").asText() : "";
    if (!ManifestParser.SERVICE_NAME.matcher(service).matches()) {
      throw new Refused(
          RegistrationFailure.REGISTRATION_MALFORMED,
          "service \"" + abbreviate(service) + "\" is not a service name");
    }
    if (!ManifestParser.COMMIT_SHA.matcher(commit).matches()) {
      throw new Refused(
          RegistrationFailure.REGISTRATION_MALFORMED,
          "commit_sha \"" + abbreviate(commit) + "\" is not a full lower-case commit SHA");
    }
    return new ArtifactKey(service, commit);
  }

  private ObjectNode registered(ArtifactRecord r, boolean alreadyRegistered) {
    ObjectNode out = Json.object();
    out.put("outcome", "registered");
    out.put("service", r.key().service());
    out.put("commit_sha", r.key().commitSha());
    out.put("already_registered", alreadyRegistered);
    out.put("status", r.status().value());
    out.put("version", r.version());
    out.put("artifact_sha256", r.artifactSha256());
    out.put("artifact_url", r.artifactUrl());
    ObjectNode envs = out.putObject("environment_states");
    r.environmentStates()
        .forEach(
            (env, st) -> {
              ObjectNode e = envs.putObject(env);
              e.put("status", st.status().value());
              e.put("test_status", st.testStatus().value());
            });
    if (!r.auditEventIds().isEmpty()) {
      out.put("audit_event_id", r.auditEventIds().get(0));
    }
    return out;
  }

  private ObjectNode refuse(ArtifactKey key, Refused e) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("failure", e.failure.name());
    details.put("failure_detail", abbreviate(e.getMessage()));
    details.put("registrar", registrarId);
    audit.append(
        new AuditEvent(
            clock.instant(),
            new Actor(ActorRole.CI, "unverified:registration-request"),
            REFUSED_ACTION,
            key,
            null,
            null,
            List.of(),
            null,
            null,
            details));
    ObjectNode out = Json.object();
    out.put("outcome", "refused");
    if (key != null) {
      out.put("service", key.service());
      out.put("commit_sha", key.commitSha());
    }
    out.put("failure", e.failure.name());
    out.put("summary", e.failure.summary());
    out.put("detail", e.getMessage());
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "…" : s;
  }

  /** A refusal on the way through the steps. */
  private static final class Refused extends RuntimeException {
    private final RegistrationFailure failure;

    Refused(RegistrationFailure failure, String detail) {
      super(detail);
      this.failure = failure;
    }
  }
}
