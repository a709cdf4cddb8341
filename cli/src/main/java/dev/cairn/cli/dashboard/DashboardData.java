package dev.cairn.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.ledger.ArtifactItems;
import dev.cairn.aws.ledger.DynamoDbDeploymentLedger;
import dev.cairn.cli.audit.AnchorSources;
import dev.cairn.cli.audit.AuditSource;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.cli.publish.RecordMacOptions;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.audit.AuditSequence;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import dev.cairn.core.kpi.DeliveryKpis;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the dashboard shows, computed on each request from the ledger, the audit log and the anchors
 * only, through the readers {@code cairn status}, {@code cairn audit verify} and {@code cairn kpi}
 * use. It reads; it never writes (DashboardReadOnlyTest records every call to prove it).
 */
final class DashboardData {

  /** The dashboard's sources: where the ledger, the chain and the anchors are. */
  record Sources(
      AwsOptions aws,
      RecordMacOptions mac,
      String ledgerTable,
      String auditTable,
      String anchorsBucket,
      String chain,
      String prodEnvironment,
      Duration kpiWindow) {}

  /**
   * The Logs Insights query that shows the lines around one audit entry (docs/runbooks/logs.md).
   */
  static String auditSequenceQuery(long sequence) {
    return "fields @timestamp, function_name, function_request_id, message, audit_action\n"
        + "| filter audit_sequence = \""
        + sequence
        + "\"";
  }

  /** The Logs Insights query for every line of one execution (docs/runbooks/logs.md). */
  static String executionQuery(String executionId) {
    return "fields @timestamp, function_name, level, message, audit_sequence, failure_code,"
        + " error_name\n| filter execution_id = \""
        + executionId
        + "\"\n| sort @timestamp asc";
  }

  private final Sources sources;
  private final Clock clock;

  DashboardData(Sources sources, Clock clock) {
    this.sources = sources;
    this.clock = clock;
  }

  /** Every artifact of every service, newest build first, as {@code cairn status} shows them. */
  ArrayNode artifacts() {
    var clients = sources.aws().clients();
    List<ArtifactRecord> records = new ArrayList<>();
    try (DynamoDbClient dynamoDb = clients.dynamoDb()) {
      Optional<ItemMacs> macs = sources.mac().macs(clients);
      // The dashboard reports a refused record; it writes nothing.
      DynamoDbDeploymentLedger ledger =
          macs.map(
                  m ->
                      new DynamoDbDeploymentLedger(
                          dynamoDb,
                          sources.ledgerTable(),
                          "unused",
                          Clock.systemUTC(),
                          m,
                          refused -> {}))
              .orElse(null);
      for (Map<String, AttributeValue> item :
          dynamoDb
              .scanPaginator(r -> r.tableName(sources.ledgerTable()).consistentRead(true))
              .items()) {
        if (!item.containsKey("commit_sha") || !item.containsKey("status")) {
          continue;
        }
        ArtifactRecord r = ArtifactItems.fromItem(item);
        records.add(
            ledger == null
                ? r
                : ledger.find(new ArtifactKey(r.service(), r.commitSha())).orElseThrow());
      }
    }
    records.sort(
        Comparator.comparing(ArtifactRecord::service)
            .thenComparing(
                // Newest first; a record without build_time before all of them.
                Comparator.comparing(
                        ArtifactRecord::buildTime,
                        Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                    .reversed()));
    ArrayNode out = Json.mapper().createArrayNode();
    records.forEach(r -> out.add(Json.mapper().<JsonNode>valueToTree(r)));
    return out;
  }

  /** One read of the chain: its entries in sequence order, its verdict and the anchors' check. */
  record Chain(List<JsonNode> entries, ObjectNode verification) {}

  /**
   * Reads and verifies the chain once, as {@code cairn audit verify --table --anchors-bucket} does:
   * the links (and MACs with a key), then every anchor. {@code verdict} is {@code verified} only
   * when the chain holds and at least one anchor agrees with it.
   */
  Chain chain() {
    List<JsonNode> entries = new ArrayList<>();
    List<ObjectNode> anchors;
    String anchorsNote = null;
    try {
      anchors = AnchorSources.load(sources.aws(), sources.anchorsBucket(), null, sources.chain());
    } catch (CliIo.UsageException none) {
      anchors = List.of();
      anchorsNote = none.getMessage();
    }
    Map<Long, String> anchored = new HashMap<>();
    Set<Long> wanted = new HashSet<>();
    anchors.forEach(a -> AuditSequence.parse(a.path("sequence")).ifPresent(wanted::add));
    AuditSource.Read read =
        AuditSource.table(sources.auditTable())
            .verify(
                sources.aws(),
                sources.chain(),
                sources.mac(),
                it -> {
                  // Read whole before verifying: the verifier stops at the first bad entry, and
                  // the page still shows every entry the table holds after it.
                  it.forEachRemaining(entries::add);
                  var record = AnchorSources.recorder(wanted, anchored);
                  entries.forEach(e -> record.accept(dev.cairn.core.audit.EntryFacts.of(e)));
                  return entries.iterator();
                });
    ObjectNode v = Json.object();
    v.put("chain", sources.chain());
    v.put("macs_checked", read.macsChecked());
    if (read.unauthenticated() != null) {
      v.put("verdict", "broken");
      v.put("reason", read.unauthenticated().failure().name());
      v.put("detail", "item " + read.unauthenticated().itemKey() + " fails its MAC check");
      return new Chain(entries, v);
    }
    AuditVerification chain = read.verification();
    v.put("entries", entries.size());
    v.put("chain_valid", chain.valid());
    if (!chain.valid()) {
      v.put("first_bad_sequence", chain.firstBadSequence());
      v.put("reason", chain.reason().name());
      v.put("detail", chain.detail());
    } else {
      v.put("head_hash", chain.headHash());
    }
    AnchorCheck.Result check =
        anchors.isEmpty() ? null : AnchorCheck.check(sources.chain(), anchored, chain, anchors);
    ObjectNode a = v.putObject("anchors");
    a.put("bucket", sources.anchorsBucket());
    a.put("checked", check == null ? 0 : check.anchorsChecked());
    if (anchorsNote != null) {
      a.put("note", anchorsNote);
    }
    if (check != null && !check.valid()) {
      AnchorCheck.Disagreement d = check.disagreements().get(0);
      a.put("disagrees", d.anchorKey());
      a.put("code", d.reason().name());
      a.put("detail", d.detail());
      if (chain.valid() && d.entrySequence() != null) {
        v.put("first_bad_sequence", d.entrySequence());
        v.put("reason", d.reason().name());
      }
    }
    v.put(
        "verdict",
        !chain.valid() || (check != null && !check.valid())
            ? "broken"
            : check == null ? "unanchored" : "verified");
    return new Chain(entries, v);
  }

  /**
   * Per artifact ({@code service@commit}), every audit entry that names it, in sequence order, with
   * the correlation keys of docs/runbooks/logs.md and the Logs Insights queries for its lines.
   */
  static ObjectNode timelines(List<JsonNode> entries) {
    Map<String, ArrayNode> byArtifact = new TreeMap<>();
    for (JsonNode e : entries) {
      JsonNode artifact = e.path("artifact");
      if (!artifact.isObject()) {
        continue;
      }
      String service = artifact.path("service").asText();
      String commit = artifact.path("commit_sha").asText();
      ObjectNode t = Json.object();
      long sequence = e.path("sequence").asLong();
      t.put("audit_sequence", sequence);
      t.put("timestamp", e.path("timestamp").asText());
      t.put("action", e.path("action").asText());
      t.put("actor", e.at("/actor/role").asText() + " " + e.at("/actor/id").asText());
      t.set("changes", e.path("changes"));
      if (e.hasNonNull("reason")) {
        t.put("reason", e.path("reason").asText());
      }
      String environment = environment(e);
      String execution = executionId(e);
      ObjectNode keys = t.putObject("correlation");
      keys.put("service", service);
      keys.put("commit_sha", commit);
      keys.put("environment", environment);
      keys.put("execution_id", execution);
      keys.put("audit_sequence", sequence);
      ObjectNode queries = t.putObject("queries");
      queries.put("audit_entry", auditSequenceQuery(sequence));
      if (execution != null) {
        queries.put("execution", executionQuery(execution));
      }
      if (e.path("details").has("failure_code")) {
        t.put("failure_code", e.at("/details/failure_code").asText());
      }
      byArtifact
          .computeIfAbsent(service + "@" + commit, k -> Json.mapper().createArrayNode())
          .add(t);
    }
    ObjectNode out = Json.object();
    byArtifact.forEach(out::set);
    return out;
  }

  /** The environment an entry is about: its details, else the field its changes touch. */
  private static String environment(JsonNode e) {
    if (e.path("details").hasNonNull("environment")) {
      return e.at("/details/environment").asText();
    }
    for (JsonNode c : e.path("changes")) {
      String field = c.path("field").asText();
      if (field.startsWith("environment_states.")) {
        String rest = field.substring("environment_states.".length());
        return rest.substring(0, rest.lastIndexOf('.'));
      }
    }
    return null;
  }

  private static String executionId(JsonNode e) {
    if (e.path("details").hasNonNull("execution_id")) {
      return e.at("/details/execution_id").asText();
    }
    String actor = e.at("/actor/id").asText();
    return actor.contains(":execution:") ? actor : null;
  }

  /**
   * Overrides, break-glass and approvals: every entry whose action belongs to one of them (the
   * override Lambda's OverrideRequested/OverrideApplied/OverrideRefused, the approvals' and
   * break-glass flag's own actions), newest last.
   */
  static ArrayNode interventions(List<JsonNode> entries) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode e : entries) {
      String action = e.path("action").asText();
      String kind =
          action.startsWith("Override")
              ? "override"
              : action.startsWith("BreakGlass")
                  ? "break-glass"
                  : action.startsWith("Approval") ? "approval" : null;
      if (kind == null) {
        continue;
      }
      ObjectNode x = out.addObject();
      x.put("kind", kind);
      x.put("audit_sequence", e.path("sequence").asLong());
      x.put("timestamp", e.path("timestamp").asText());
      x.put("action", action);
      x.put("actor", e.at("/actor/role").asText() + " " + e.at("/actor/id").asText());
      x.put("service", e.at("/artifact/service").asText(null));
      x.put("commit_sha", e.at("/artifact/commit_sha").asText(null));
      x.put("environment", environment(e));
      if (e.hasNonNull("reason")) {
        x.put("reason", e.path("reason").asText());
      }
      x.set("details", e.path("details"));
    }
    return out;
  }

  /**
   * The KPIs over the window that ends now (or at the newest entry, if the chain runs ahead of this
   * clock, as a sandbox's virtual clock does), computed as {@code cairn kpi --all} computes them,
   * and per day for the charts.
   */
  ObjectNode kpis(List<JsonNode> entries) {
    Instant until = clock.instant();
    for (JsonNode e : entries) {
      Instant t = Instant.parse(e.path("timestamp").asText(until.toString()));
      if (!t.isBefore(until)) {
        until = t.plusSeconds(1);
      }
    }
    Instant since = until.minus(sources.kpiWindow());
    DeliveryKpis.PerService total =
        new DeliveryKpis.PerService(
            new DeliveryKpis.Window(null, sources.prodEnvironment(), since, until));
    Map<Instant, DeliveryKpis.PerService> days = new LinkedHashMap<>();
    for (Instant day = since.truncatedTo(ChronoUnit.DAYS);
        day.isBefore(until);
        day = day.plus(Duration.ofDays(1))) {
      Instant end = day.plus(Duration.ofDays(1));
      days.put(
          day,
          new DeliveryKpis.PerService(
              new DeliveryKpis.Window(
                  null,
                  sources.prodEnvironment(),
                  day.isBefore(since) ? since : day,
                  end.isAfter(until) ? until : end)));
    }
    for (JsonNode e : entries) {
      total.accept(e);
      days.values().forEach(d -> d.accept(e));
    }
    ObjectNode out = total.result();
    ArrayNode series = out.putArray("daily");
    days.forEach(
        (day, k) -> {
          ObjectNode all = (ObjectNode) k.result().path("all");
          ObjectNode point = series.addObject();
          point.put("day", day.toString().substring(0, 10));
          point.set("lead_time_median_seconds", all.at("/lead_time_seconds/median"));
          point.set("prod_deployments", all.at("/deployment_frequency/prod_deployments"));
          point.set("change_failure_rate", all.at("/change_failure_rate/rate"));
          point.set("mttr_seconds", all.at("/mttr_seconds/mean"));
          point.set("rollbacks", all.at("/rollback_rate/rollbacks"));
        });
    return out;
  }

  /** Everything the page shows, from one read of each source. */
  ObjectNode overview() {
    ObjectNode out = Json.object();
    out.put("generated_at", clock.instant().toString());
    out.set("artifacts", artifacts());
    Chain c = chain();
    out.set("audit", c.verification());
    out.set("timelines", timelines(c.entries()));
    out.set("interventions", interventions(c.entries()));
    out.set("kpis", kpis(c.entries()));
    return out;
  }
}
