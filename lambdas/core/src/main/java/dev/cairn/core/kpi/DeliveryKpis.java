package dev.cairn.core.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Seed 004's delivery KPIs, computed from the audit log alone (its entries' lifecycle {@code
 * changes}, timestamps and the publication details), never from the ledger's current state. The
 * definitions are in {@code docs/kpis.md}; each number here follows them word for word.
 *
 * <p>Entries are read once, in sequence order, so a log of any length needs memory only for the
 * artifacts it names.
 */
public final class DeliveryKpis {

  /** Seed 004's thresholds. */
  public static final Duration LEAD_TIME_TARGET = Duration.ofMinutes(30);

  public static final double CHANGE_FAILURE_RATE_TARGET = 0.05;
  public static final Duration MTTR_TARGET = Duration.ofMinutes(15);
  public static final double ROLLBACK_RATE_TARGET = 0.02;

  /** The spec's TestFailureRate window. */
  public static final Duration TEST_FAILURE_WINDOW = Duration.ofDays(7);

  /**
   * What to compute over.
   *
   * @param service only this service's artifacts; null for all
   * @param prodEnvironment the environment whose deployments count (the chain's last)
   * @param since first instant counted (inclusive)
   * @param until last instant counted (exclusive); the TestFailureRate window ends here
   */
  public record Window(String service, String prodEnvironment, Instant since, Instant until) {
    public Window {
      Objects.requireNonNull(prodEnvironment, "prodEnvironment");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(until, "until");
      if (!until.isAfter(since)) {
        throw new IllegalArgumentException("until must be after since");
      }
    }

    boolean contains(Instant t) {
      return !t.isBefore(since) && t.isBefore(until);
    }
  }

  /** One artifact's facts as the log reveals them. */
  private static final class Artifact {
    Instant leadTimeStart;
    String leadTimeFrom;
    boolean deployedToProd;
  }

  /** A prod deployment and what followed it. */
  private static final class Deployment {
    final String artifact;
    final Instant at;
    Instant failedAt;
    Instant restoredAt;

    Deployment(String artifact, Instant at) {
      this.artifact = artifact;
      this.at = at;
    }
  }

  private final Window window;
  private final Map<String, Artifact> artifacts = new HashMap<>();
  private final List<Deployment> deployments = new ArrayList<>();
  private final List<Long> leadTimes = new ArrayList<>();
  private final Map<String, Integer> leadTimeFrom = new java.util.TreeMap<>();
  private int rollbacks;
  private int testsPassed;
  private int testsFailed;
  private long entries;
  private Deployment live;

  private DeliveryKpis(Window window) {
    this.window = window;
  }

  /** Computes the KPIs of {@code entries} (audit entries in sequence order) over {@code window}. */
  public static ObjectNode compute(Iterator<? extends JsonNode> entries, Window window) {
    DeliveryKpis k = over(window);
    while (entries.hasNext()) {
      k.accept(entries.next());
    }
    return k.result();
  }

  /**
   * An empty accumulator over {@code window}, for a reader that already walks the log for its own
   * purpose (the anchorer): feed each entry, in sequence order, to {@link #accept}, then read
   * {@link #result}.
   */
  public static DeliveryKpis over(Window window) {
    return new DeliveryKpis(window);
  }

  /**
   * The KPIs of every service and of all of them together, in one pass: feed each entry to {@link
   * #accept}, then read {@link #result}.
   */
  public static final class PerService {
    private final Window window;
    private final DeliveryKpis all;
    private final Map<String, DeliveryKpis> services = new java.util.TreeMap<>();

    public PerService(Window window) {
      this.window = window;
      this.all = new DeliveryKpis(window);
    }

    public void accept(JsonNode entry) {
      all.accept(entry);
      String service = entry.at("/artifact/service").asText(null);
      if (service != null && window.service() == null) {
        services
            .computeIfAbsent(
                service,
                s ->
                    new DeliveryKpis(
                        new Window(s, window.prodEnvironment(), window.since(), window.until())))
            .accept(entry);
      }
    }

    /** {@code {"all": {...}, "services": {name: {...}}}}; services only when none was chosen. */
    public ObjectNode result() {
      ObjectNode out = Json.object();
      out.set("all", all.result());
      if (window.service() == null) {
        ObjectNode per = out.putObject("services");
        services.forEach((name, k) -> per.set(name, k.result()));
      }
      return out;
    }
  }

  /** Takes the next audit entry (sequence order). */
  public void accept(JsonNode e) {
    entries++;
    String service = e.at("/artifact/service").asText(null);
    String commit = e.at("/artifact/commit_sha").asText(null);
    if (service == null || commit == null) {
      return;
    }
    if (window.service() != null && !window.service().equals(service)) {
      return;
    }
    Instant at = instant(e.path("timestamp").asText());
    if (at == null) {
      return;
    }
    String id = service + "@" + commit;
    Artifact a = artifacts.computeIfAbsent(id, k -> new Artifact());
    if (e.path("action").asText().equals("ArtifactPublished")) {
      publication(a, e.path("details"), at);
    }
    String prodStatus = "environment_states." + window.prodEnvironment() + ".status";
    String prodTests = "environment_states." + window.prodEnvironment() + ".test_status";
    for (JsonNode c : e.path("changes")) {
      String field = c.path("field").asText();
      String to = c.path("to").asText();
      String from = c.path("from").asText();
      if (field.equals(prodStatus) && to.equals("deployed") && !from.equals("deployed")) {
        prodDeployed(id, a, at);
      } else if (field.equals(prodTests) && to.equals("test_failed")) {
        failed(id, at);
      } else if (field.equals("status") && to.equals("rollback_initiated")) {
        failed(id, at);
        if (window.contains(at)) {
          rollbacks++;
        }
      } else if (field.equals("status") && to.equals("rollback_succeeded")) {
        restored(at);
      }
      if (field.endsWith(".test_status")
          && (to.equals("test_passed") || to.equals("test_failed"))
          && !at.isBefore(window.until().minus(TEST_FAILURE_WINDOW))
          && at.isBefore(window.until())) {
        if (to.equals("test_passed")) {
          testsPassed++;
        } else {
          testsFailed++;
        }
      }
    }
  }

  /** Lead time starts at the commit when the log knows it, else at the build, else publication. */
  private static void publication(Artifact a, JsonNode details, Instant publishedAt) {
    Instant commitTime = instant(details.path("commit_time").asText(""));
    Instant buildTime = instant(details.path("build_time").asText(""));
    if (commitTime != null) {
      a.leadTimeStart = commitTime;
      a.leadTimeFrom = "commit";
    } else if (buildTime != null) {
      a.leadTimeStart = buildTime;
      a.leadTimeFrom = "build";
    } else {
      a.leadTimeStart = publishedAt;
      a.leadTimeFrom = "publication";
    }
  }

  private void prodDeployed(String id, Artifact a, Instant at) {
    // A deployment restores service after a failure of the one before it (a rollback target
    // redeployed, or a fix rolled forward).
    restored(at);
    Deployment d = new Deployment(id, at);
    live = d;
    if (!window.contains(at)) {
      return;
    }
    deployments.add(d);
    if (!a.deployedToProd && a.leadTimeStart != null) {
      leadTimes.add(Duration.between(a.leadTimeStart, at).toSeconds());
      leadTimeFrom.merge(a.leadTimeFrom, 1, Integer::sum);
    }
    a.deployedToProd = true;
  }

  private void failed(String id, Instant at) {
    if (live != null && live.artifact.equals(id) && live.failedAt == null) {
      live.failedAt = at;
    }
  }

  private void restored(Instant at) {
    if (live != null && live.failedAt != null && live.restoredAt == null) {
      live.restoredAt = at;
    }
  }

  /** The KPIs of the entries accepted so far; see {@code docs/kpis.md} for each field. */
  public ObjectNode result() {
    ObjectNode out = Json.object();
    out.put("service", window.service());
    out.put("prod_environment", window.prodEnvironment());
    out.put("since", window.since().toString());
    out.put("until", window.until().toString());
    out.put("entries_read", entries);

    ObjectNode lead = out.putObject("lead_time_seconds");
    lead.put("count", leadTimes.size());
    List<Long> sorted = new ArrayList<>(leadTimes);
    Collections.sort(sorted);
    putOrNull(lead, "median", median(sorted));
    putOrNull(lead, "p90", nearestRank(sorted, 90));
    ObjectNode from = lead.putObject("measured_from");
    leadTimeFrom.forEach(from::put);

    double days = Duration.between(window.since(), window.until()).toSeconds() / 86_400.0;
    ObjectNode freq = out.putObject("deployment_frequency");
    freq.put("prod_deployments", deployments.size());
    freq.put("days", round(days));
    freq.put("per_day", round(deployments.size() / days));

    int failures = (int) deployments.stream().filter(d -> d.failedAt != null).count();
    ObjectNode cfr = out.putObject("change_failure_rate");
    cfr.put("failed_deployments", failures);
    cfr.put("prod_deployments", deployments.size());
    putOrNull(
        cfr, "rate", deployments.isEmpty() ? null : round((double) failures / deployments.size()));

    ObjectNode mttr = out.putObject("mttr_seconds");
    List<Long> restores = new ArrayList<>();
    int unrestored = 0;
    for (Deployment d : deployments) {
      if (d.failedAt != null) {
        if (d.restoredAt != null) {
          restores.add(Duration.between(d.failedAt, d.restoredAt).toSeconds());
        } else {
          unrestored++;
        }
      }
    }
    mttr.put("restored", restores.size());
    mttr.put("unrestored", unrestored);
    putOrNull(
        mttr,
        "mean",
        restores.isEmpty()
            ? null
            : round(restores.stream().mapToLong(Long::longValue).average().orElseThrow()));

    ObjectNode rb = out.putObject("rollback_rate");
    rb.put("rollbacks", rollbacks);
    rb.put("prod_deployments", deployments.size());
    putOrNull(
        rb, "rate", deployments.isEmpty() ? null : round((double) rollbacks / deployments.size()));

    ObjectNode tfr = out.putObject("test_failure_rate_7d");
    tfr.put("window_start", window.until().minus(TEST_FAILURE_WINDOW).toString());
    tfr.put("window_end", window.until().toString());
    tfr.put("failed", testsFailed);
    tfr.put("completed", testsPassed + testsFailed);
    putOrNull(
        tfr,
        "rate",
        testsPassed + testsFailed == 0
            ? null
            : round((double) testsFailed / (testsPassed + testsFailed)));

    ObjectNode targets = out.putObject("meets_targets");
    JsonNode median = lead.get("median");
    putOrNull(
        targets,
        "lead_time_median_under_30m",
        median.isNull() ? null : median.asDouble() < LEAD_TIME_TARGET.toSeconds());
    putOrNull(
        targets,
        "change_failure_rate_under_5pct",
        cfr.get("rate").isNull() ? null : cfr.get("rate").asDouble() < CHANGE_FAILURE_RATE_TARGET);
    putOrNull(
        targets,
        "mttr_under_15m",
        mttr.get("mean").isNull() ? null : mttr.get("mean").asDouble() < MTTR_TARGET.toSeconds());
    putOrNull(
        targets,
        "rollback_rate_under_2pct",
        rb.get("rate").isNull() ? null : rb.get("rate").asDouble() < ROLLBACK_RATE_TARGET);
    return out;
  }

  /** The middle value, or the mean of the two middle values of an even count. */
  static Double median(List<Long> sorted) {
    int n = sorted.size();
    if (n == 0) {
      return null;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** The nearest-rank percentile: the value at rank ⌈p/100 × n⌉. */
  static Double nearestRank(List<Long> sorted, int p) {
    int n = sorted.size();
    if (n == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p / 100.0 * n);
    return (double) sorted.get(Math.max(rank, 1) - 1);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static void putOrNull(ObjectNode o, String name, Object v) {
    if (v == null) {
      o.putNull(name);
    } else if (v instanceof Boolean b) {
      o.put(name, b);
    } else {
      o.put(name, ((Number) v).doubleValue());
    }
  }

  private static Instant instant(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
