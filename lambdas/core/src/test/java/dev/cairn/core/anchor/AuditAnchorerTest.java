package dev.cairn.core.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.anchor.port.AnchorStore;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.audit.port.AuditLog;
import dev.cairn.core.kpi.KpiGauges;
import dev.cairn.core.kpi.KpiHistory;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AuditAnchorerTest {

  static final Instant T0 = Instant.parse("2026-11-22T09:00:00Z");
  static final ArtifactKey KEY =
      new ArtifactKey("orders", "0123456789abcdef0123456789abcdef01234567");

  final MemoryLog log = new MemoryLog();
  final MemoryAnchors anchors = new MemoryAnchors();
  final List<ObjectNode> published = new ArrayList<>();
  final List<ObjectNode> trail = new ArrayList<>();
  final java.util.concurrent.atomic.AtomicInteger heartbeats =
      new java.util.concurrent.atomic.AtomicInteger();
  final List<KpiGauges> gauges = new ArrayList<>();
  final AuditAnchorer anchorer =
      new AuditAnchorer(
          log,
          anchors,
          published::add,
          trail::add,
          heartbeats::incrementAndGet,
          gauges::add,
          "prod",
          Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));

  @Test
  void anchor_publishesTheKpisOfTheVerifiedChain_overTrailingWindows() {
    // KpiHistory's week, all services, read on 11-08: the 30 days hold F, A, B, C, D, E and G.
    for (ObjectNode e : KpiHistory.week()) {
      log.entries.add(e);
      log.head = AuditChain.headAfter(e);
    }
    AuditAnchorer weekly =
        new AuditAnchorer(
            log,
            anchors,
            published::add,
            trail::add,
            heartbeats::incrementAndGet,
            gauges::add,
            "prod",
            Clock.fixed(KpiHistory.UNTIL, ZoneOffset.UTC));

    weekly.anchor();

    // Lead times 600, 900, 1200, 1800 (D, F, G), 2700: median 1800 s. B and D failed of 7
    // deployments: 28.57 %. MTTR (480 + 1200) / 2 = 840 s. One rollback in 90 days of 7: 14.29 %.
    assertThat(gauges).containsExactly(new KpiGauges(1800.0, 28.57, 840.0, 14.29));
  }

  @Test
  void anchor_whenTheChainIsBroken_publishesNoKpis() {
    log.add(ActorRole.CI, "ArtifactPublished");
    log.add(ActorRole.PIPELINE, "DeploySucceeded");
    log.entries.get(0).put("action", "Tampered");

    assertThatThrownBy(anchorer::anchor).isInstanceOf(AnchorMismatch.class);
    assertThat(gauges).isEmpty();
  }

  @Test
  void anchor_withNoProdDeployment_publishesNoDataRatherThanZero() {
    log.add(ActorRole.CI, "ArtifactPublished");

    anchorer.anchor();

    assertThat(gauges).containsExactly(new KpiGauges(null, null, null, null));
  }

  @Test
  void anchor_whenEntriesWereAppended_writesOrderedWriteOnceObjectAndPublishes() {
    log.add(ActorRole.CI, "ArtifactPublished");
    log.add(ActorRole.OPERATOR, "OverrideApplied");
    log.add(ActorRole.PIPELINE, "RollbackSucceeded");

    ObjectNode m = anchorer.anchor();

    assertThat(m.path("kind").asText()).isEqualTo("anchor");
    assertThat(m.path("chain_depth").asLong()).isEqualTo(3);
    assertThat(m.path("log_hash").asText()).isEqualTo(log.head().logHash());
    assertThat(m.path("last_entry_timestamp").asText()).isEqualTo("2026-11-22T09:00:03Z");
    assertThat(m.path("high_privilege_actions").path("count").asInt()).isEqualTo(2);
    assertThat(Anchors.sealed(m)).isTrue();
    assertThat(anchors.objects)
        .containsOnlyKeys("audit-log-anchors/cairn/00000000000000000003.json");
    assertThat(published).hasSize(1);
    assertThat(trail).hasSize(1);
  }

  @Test
  void anchor_whenNothingWasAppended_publishesHeartbeatWithoutNewObject() {
    log.add(ActorRole.CI, "ArtifactPublished");
    anchorer.anchor();
    ObjectNode hb = anchorer.anchor();
    assertThat(hb.path("kind").asText()).isEqualTo("heartbeat");
    assertThat(hb.path("high_privilege_actions").path("count").asInt()).isZero();
    assertThat(anchors.objects).hasSize(1);
    assertThat(published).hasSize(2);
  }

  @Test
  void anchor_summarisesOnlyActionsSinceThePreviousAnchor() {
    log.add(ActorRole.OPERATOR, "OverrideApplied");
    anchorer.anchor();
    log.add(ActorRole.CI, "ArtifactPublished");
    log.add(ActorRole.OPERATOR, "OverrideRequested");
    ObjectNode m = anchorer.anchor();
    assertThat(m.path("high_privilege_actions").path("count").asInt()).isEqualTo(1);
    assertThat(m.path("previous_anchor").path("sequence").asLong()).isEqualTo(1);
    assertThat(anchors.objects).hasSize(2);
  }

  @Test
  void anchor_whenAnchoredEntryWasRewritten_refusesToAnchor() {
    log.add(ActorRole.CI, "ArtifactPublished");
    anchorer.anchor();
    log.entries.get(0).put("log_hash", "f".repeat(64));
    log.add(ActorRole.CI, "ArtifactPublished");
    assertThatThrownBy(anchorer::anchor)
        .isInstanceOf(AnchorMismatch.class)
        .hasMessageContaining("00000000000000000001.json");
  }

  @Test
  void anchor_whenAnEntryWasEdited_refusesToAnchorAndNamesTheSequence() {
    log.add(ActorRole.CI, "ArtifactPublished");
    log.add(ActorRole.CI, "ArtifactPublished");
    log.entries.get(0).with("details").put("artifact_sha256", "0".repeat(64));
    assertThatThrownBy(anchorer::anchor)
        .isInstanceOf(AnchorMismatch.class)
        .hasMessageContaining("sequence 1")
        .hasMessageContaining("HASH_MISMATCH");
    assertThat(anchors.objects).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void check_whenEntryEditedAfterAnchoring_namesSequenceAndAnchor() {
    log.add(ActorRole.CI, "ArtifactPublished");
    log.add(ActorRole.PIPELINE, "LeaseAcquired");
    anchorer.anchor();
    log.entries.get(0).with("details").put("artifact_sha256", "0".repeat(64));

    AuditVerification chain = AuditChainVerifier.verify(log.entries(), log.head());
    Map<Long, String> hashes = new TreeMap<>();
    log.entries.forEach(e -> hashes.put(e.path("sequence").asLong(), e.path("log_hash").asText()));
    AnchorCheck.Result r = AnchorCheck.check("cairn", hashes, chain, anchors.all("cairn"));

    assertThat(r.valid()).isFalse();
    AnchorCheck.Disagreement d = r.disagreements().get(0);
    assertThat(d.entrySequence()).isEqualTo(1);
    assertThat(d.anchorKey()).isEqualTo("audit-log-anchors/cairn/00000000000000000002.json");
    assertThat(d.reason()).isEqualTo(AnchorCheck.Reason.ANCHORED_ENTRY_ALTERED);
  }

  @Test
  void check_whenChainRecomputedAfterAnchoring_reportsLogHashMismatch() {
    log.add(ActorRole.CI, "ArtifactPublished");
    anchorer.anchor();
    Map<Long, String> hashes = Map.of(1L, "e".repeat(64));
    AnchorCheck.Result r =
        AnchorCheck.check(
            "cairn", hashes, AuditVerification.ok(1, "e".repeat(64)), anchors.all("cairn"));
    assertThat(r.disagreements())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).isEqualTo(AnchorCheck.Reason.LOG_HASH_MISMATCH));
  }

  @Test
  void check_whenAnchorItselfEdited_reportsCorrupt() {
    log.add(ActorRole.CI, "ArtifactPublished");
    ObjectNode a = anchorer.anchor().deepCopy();
    a.put("log_hash", "d".repeat(64));
    AnchorCheck.Result r =
        AnchorCheck.check(
            "cairn", Map.of(1L, log.head().logHash()), AuditVerification.ok(1, ""), List.of(a));
    assertThat(r.disagreements().get(0).reason()).isEqualTo(AnchorCheck.Reason.ANCHOR_CORRUPT);
  }

  @Test
  void check_whenAnchorSequenceOverflows_reportsMalformedNotEntryOne() {
    log.add(ActorRole.CI, "ArtifactPublished");
    ObjectNode a = anchorer.anchor().deepCopy();
    // 2^64 + 1 read modulo 2^64 is 1, whose log_hash this anchor carries: resealed, it "matched".
    a.put("sequence", java.math.BigInteger.ONE.shiftLeft(64).add(java.math.BigInteger.ONE));
    Anchors.seal(a);
    AnchorCheck.Result r =
        AnchorCheck.check(
            "cairn",
            Map.of(1L, log.head().logHash()),
            AuditVerification.ok(1, log.head().logHash()),
            List.of(a));
    assertThat(r.valid()).isFalse();
    assertThat(r.disagreements())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).isEqualTo(AnchorCheck.Reason.ANCHOR_MALFORMED);
              assertThat(d.detail()).contains("18446744073709551617");
            });
  }

  @Test
  void messages_matchSchemaAnchorV1() throws Exception {
    com.networknt.schema.JsonSchema schema;
    try (var in = AuditAnchorerTest.class.getResourceAsStream("/schema/anchor.v1.json")) {
      schema =
          com.networknt.schema.JsonSchemaFactory.getInstance(
                  com.networknt.schema.SpecVersion.VersionFlag.V202012)
              .getSchema(dev.cairn.core.json.Json.parse(in));
    }
    ObjectNode empty = anchorer.anchor();
    log.add(ActorRole.OPERATOR, "OverrideApplied");
    ObjectNode first = anchorer.anchor();
    ObjectNode heartbeat = anchorer.anchor();
    for (ObjectNode m : List.of(empty, first, heartbeat)) {
      assertThat(schema.validate(m)).as(dev.cairn.core.json.Json.pretty(m)).isEmpty();
    }
    assertThat(empty.path("kind").asText()).isEqualTo("heartbeat");
    assertThat(anchors.objects).hasSize(1);
  }

  static final class MemoryLog implements AuditLog {
    final List<ObjectNode> entries = new ArrayList<>();
    AuditHead head = AuditHead.empty("cairn");

    void add(ActorRole role, String action) {
      ObjectNode e =
          AuditChain.seal(
              new AuditEvent(
                  T0.plusSeconds(entries.size() + 1),
                  new Actor(role, "test"),
                  action,
                  KEY,
                  null,
                  null,
                  List.of(),
                  null,
                  null,
                  Map.of("artifact_sha256", "1".repeat(64))),
              head);
      entries.add(e);
      head = AuditChain.headAfter(e);
    }

    @Override
    public String chainId() {
      return "cairn";
    }

    @Override
    public AuditHead head() {
      return head;
    }

    @Override
    public Iterator<ObjectNode> entries() {
      return List.copyOf(entries).iterator();
    }

    @Override
    public ObjectNode append(AuditEvent event) {
      throw new UnsupportedOperationException();
    }
  }

  static final class MemoryAnchors implements AnchorStore {
    final Map<String, ObjectNode> objects = new LinkedHashMap<>();

    @Override
    public Optional<ObjectNode> latest(String chainId) {
      List<ObjectNode> all = all(chainId);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public List<ObjectNode> all(String chainId) {
      return new TreeMap<>(objects).values().stream().toList();
    }

    @Override
    public boolean putIfAbsent(String key, ObjectNode anchor) {
      return objects.putIfAbsent(key, anchor.deepCopy()) == null;
    }

    @Override
    public Optional<ObjectNode> get(String key) {
      return Optional.ofNullable(objects.get(key));
    }
  }
}
