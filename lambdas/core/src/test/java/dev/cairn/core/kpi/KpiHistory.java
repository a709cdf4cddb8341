package dev.cairn.core.kpi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.core.lifecycle.StateField;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A constructed week of deliveries, sealed into a real chain, whose KPIs are computed by hand in
 * {@code docs/kpis.md}'s worked example (and asserted in {@code DeliveryKpisTest}):
 *
 * <pre>
 * orders  A  build 11-02 10:00  prod deployed 10:20                          lead 1200 s
 * orders  B  commit 11-03 09:00 prod deployed 09:45, smoke fails 10:00,
 *            rollback 10:00, rollback succeeded 10:08                        lead 2700 s, restore 480 s
 * orders  C  build 11-04 12:00  prod deployed 12:10                          lead  600 s
 * orders  D  build 11-05 08:00  prod deployed 08:30, smoke fails 08:40       lead 1800 s
 * orders  E  build 11-05 08:45  prod deployed 09:00 (restores D: 1200 s)     lead  900 s
 * orders  F  build 10-30 09:00  prod deployed 10-30 09:30 (before the window)
 * billing G  build 11-06 10:00  prod deployed 10:30                          lead 1800 s
 * </pre>
 */
public final class KpiHistory {

  public static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");
  public static final Instant UNTIL = Instant.parse("2026-11-08T00:00:00Z");

  private final List<ObjectNode> entries = new ArrayList<>();
  private AuditHead head = AuditHead.empty(AuditChain.DEFAULT_CHAIN_ID);

  /** The sealed entries, in sequence order. */
  public static List<ObjectNode> week() {
    KpiHistory h = new KpiHistory();
    h.delivered("orders", "F", null, "2026-10-30T09:00:00Z", "2026-10-30T09:30:00Z", true);
    h.delivered("orders", "A", null, "2026-11-02T10:00:00Z", "2026-11-02T10:20:00Z", true);
    h.delivered(
        "orders",
        "B",
        "2026-11-03T09:00:00Z",
        "2026-11-03T09:10:00Z",
        "2026-11-03T09:45:00Z",
        false);
    h.smokeFails("orders", "B", "2026-11-03T10:00:00Z", true);
    h.rollbackSucceeded("orders", "B", "2026-11-03T10:08:00Z");
    h.delivered("orders", "C", null, "2026-11-04T12:00:00Z", "2026-11-04T12:10:00Z", true);
    h.delivered("orders", "D", null, "2026-11-05T08:00:00Z", "2026-11-05T08:30:00Z", false);
    h.smokeFails("orders", "D", "2026-11-05T08:40:00Z", false);
    h.delivered("orders", "E", null, "2026-11-05T08:45:00Z", "2026-11-05T09:00:00Z", true);
    h.delivered("billing", "G", null, "2026-11-06T10:00:00Z", "2026-11-06T10:30:00Z", true);
    return h.entries;
  }

  private void delivered(
      String service,
      String name,
      String commitTime,
      String buildTime,
      String prodDeployedAt,
      boolean smokePasses) {
    Instant build = Instant.parse(buildTime);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("build_time", buildTime);
    if (commitTime != null) {
      details.put("commit_time", commitTime);
    }
    append(build.plusSeconds(60), "ArtifactPublished", service, name, List.of(), details);
    append(
        build.plusSeconds(300),
        "ArtifactPromoted",
        service,
        name,
        List.of(new StateChange(StateField.TEST_STATUS, "stage", "test_running", "test_passed")),
        Map.of());
    Instant deployed = Instant.parse(prodDeployedAt);
    append(
        deployed,
        "DeploySucceeded",
        service,
        name,
        List.of(new StateChange(StateField.ENVIRONMENT_STATUS, "prod", "deploying", "deployed")),
        Map.of());
    if (smokePasses) {
      append(
          deployed.plusSeconds(30),
          "ArtifactDeployed",
          service,
          name,
          List.of(new StateChange(StateField.TEST_STATUS, "prod", "test_running", "test_passed")),
          Map.of());
    }
  }

  private void smokeFails(String service, String name, String at, boolean rollback) {
    List<StateChange> changes = new ArrayList<>();
    changes.add(new StateChange(StateField.TEST_STATUS, "prod", "test_running", "test_failed"));
    if (rollback) {
      changes.add(new StateChange(StateField.STATUS, null, "promoted", "rollback_initiated"));
    }
    append(Instant.parse(at), "TestsFailed", service, name, changes, Map.of());
  }

  private void rollbackSucceeded(String service, String name, String at) {
    append(
        Instant.parse(at),
        "RollbackSucceeded",
        service,
        name,
        List.of(
            new StateChange(StateField.STATUS, null, "rollback_initiated", "rollback_succeeded")),
        Map.of());
  }

  private void append(
      Instant at,
      String action,
      String service,
      String name,
      List<StateChange> changes,
      Map<String, String> details) {
    String commit = Sha256.hex((service + name).getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    ObjectNode e =
        AuditChain.seal(
            new AuditEvent(
                at,
                new Actor(ActorRole.PIPELINE, "kpi-history"),
                action,
                new ArtifactKey(service, commit),
                null,
                null,
                changes,
                null,
                null,
                details),
            head);
    entries.add(e);
    head = AuditChain.headAfter(e);
  }
}
