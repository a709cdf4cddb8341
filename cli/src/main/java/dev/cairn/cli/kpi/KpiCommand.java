package dev.cairn.cli.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.audit.AuditSource;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.cli.publish.RecordMacOptions;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import dev.cairn.core.kpi.DeliveryKpis;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn kpi}: seed 004's delivery KPIs from the audit log alone. */
@Command(
    name = "kpi",
    mixinStandardHelpOptions = true,
    description = {
      "Compute seed 004's delivery KPIs from the audit log alone.",
      "Lead time, deployment frequency, change failure rate, MTTR, rollback rate and the 7-day"
          + " test failure rate.",
      "The chain is verified while it is read; KPIs from a broken chain are printed but the"
          + " command exits 1. Definitions: docs/kpis.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the KPIs were computed from a verified chain",
      "1:the audit chain does not verify (the KPIs are printed, marked untrusted)",
      "2:usage or I/O error"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn kpi --all --since 2026-10-01 --file audit.jsonl",
      "  cairn kpi --service orders --since 2026-11-01 --table cdk-audit-log --format json"
    })
public final class KpiCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Mixin RecordMacOptions mac;

  @ArgGroup(exclusive = true, multiplicity = "1")
  AuditSource source;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Scope scope;

  static final class Scope {
    @Option(names = "--service", paramLabel = "S", description = "One service.")
    String service;

    @Option(names = "--all", description = "Every service, and all of them together.")
    boolean all;
  }

  @Option(
      names = "--since",
      required = true,
      paramLabel = "DATE",
      description = "First day counted (YYYY-MM-DD, UTC) or an ISO 8601 instant.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "DATE",
      description =
          "End of the window, exclusive (default: now). The 7-day test failure rate ends here.")
  String until;

  @Option(
      names = "--prod-environment",
      paramLabel = "ENV",
      defaultValue = "prod",
      description = "The environment whose deployments count. Default: ${DEFAULT-VALUE}.")
  String prodEnvironment;

  @Option(
      names = "--chain",
      paramLabel = "ID",
      defaultValue = AuditChain.DEFAULT_CHAIN_ID,
      description = "Chain id (--table). Default: ${DEFAULT-VALUE}.")
  String chain;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  private final Clock clock;

  public KpiCommand() {
    this(Clock.systemUTC());
  }

  KpiCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Instant from = instant(since, "--since");
    Instant to = until == null ? clock.instant() : instant(until, "--until");
    if (!to.isAfter(from)) {
      throw new CliIo.UsageException("--until must be after --since");
    }
    DeliveryKpis.PerService kpis =
        new DeliveryKpis.PerService(
            new DeliveryKpis.Window(scope.service, prodEnvironment, from, to));
    AuditVerification v = read(kpis::accept);
    ObjectNode result = kpis.result();
    ObjectNode audit = result.putObject("audit");
    audit.put("entries", v.entries());
    audit.put("verified", v.valid());
    if (!v.valid()) {
      audit.put("first_bad_sequence", v.firstBadSequence());
      audit.put("reason", String.valueOf(v.reason()));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      out.println(Json.pretty(result));
    } else {
      printText(out, result, v);
    }
    out.flush();
    return v.valid() ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
  }

  /** Hands each entry to {@code sink} as it passes through the chain verifier. */
  private AuditVerification read(Consumer<JsonNode> sink) {
    AuditSource.Read read =
        source.verify(aws, chain, mac, entries -> AuditSource.peeking(entries, sink));
    if (read.unauthenticated() != null) {
      throw new CliIo.UsageException(
          "audit item "
              + read.unauthenticated().itemKey()
              + " fails its MAC check ("
              + read.unauthenticated().failure()
              + "): the log cannot be trusted for KPIs");
    }
    return read.verification();
  }

  private static Instant instant(String text, String option) {
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CliIo.UsageException(
          option + " must be a date (YYYY-MM-DD) or an ISO 8601 instant, got " + text);
    }
  }

  private void printText(PrintWriter out, ObjectNode result, AuditVerification v) {
    if (!v.valid()) {
      out.printf(
          "AUDIT CHAIN BROKEN at sequence %d: the figures below are untrusted%n",
          v.firstBadSequence());
    }
    printScope(out, "all services", result.get("all"));
    JsonNode services = result.path("services");
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      printScope(out, s.getKey(), s.getValue());
    }
    out.printf("(audit chain: %d entries, %s)%n", v.entries(), v.valid() ? "verified" : "BROKEN");
  }

  private static void printScope(PrintWriter out, String name, JsonNode k) {
    out.printf(
        "%s, %s to %s (%s):%n",
        name,
        k.path("since").asText(),
        k.path("until").asText(),
        k.path("prod_environment").asText());
    JsonNode lead = k.path("lead_time_seconds");
    out.printf(
        "  lead time           median %s, p90 %s over %d deployments (from %s)   target < 30m: %s%n",
        duration(lead.path("median")),
        duration(lead.path("p90")),
        lead.path("count").asInt(),
        lead.path("measured_from").toString(),
        verdict(k.at("/meets_targets/lead_time_median_under_30m")));
    JsonNode f = k.path("deployment_frequency");
    out.printf(
        "  deployments         %d in %s days (%s per day)%n",
        f.path("prod_deployments").asInt(), f.path("days").asText(), f.path("per_day").asText());
    JsonNode c = k.path("change_failure_rate");
    out.printf(
        "  change failure rate %s (%d of %d)   target < 5%%: %s%n",
        percent(c.path("rate")),
        c.path("failed_deployments").asInt(),
        c.path("prod_deployments").asInt(),
        verdict(k.at("/meets_targets/change_failure_rate_under_5pct")));
    JsonNode m = k.path("mttr_seconds");
    out.printf(
        "  MTTR                %s (%d restored, %d not restored)   target < 15m: %s%n",
        duration(m.path("mean")),
        m.path("restored").asInt(),
        m.path("unrestored").asInt(),
        verdict(k.at("/meets_targets/mttr_under_15m")));
    JsonNode r = k.path("rollback_rate");
    out.printf(
        "  rollback rate       %s (%d rollbacks)   target < 2%%: %s%n",
        percent(r.path("rate")),
        r.path("rollbacks").asInt(),
        verdict(k.at("/meets_targets/rollback_rate_under_2pct")));
    JsonNode t = k.path("test_failure_rate_7d");
    out.printf(
        "  test failure rate   %s (%d of %d test runs, trailing 7 days)%n",
        percent(t.path("rate")), t.path("failed").asInt(), t.path("completed").asInt());
  }

  private static String duration(JsonNode seconds) {
    if (seconds.isNull() || seconds.isMissingNode()) {
      return "-";
    }
    long s = Math.round(seconds.asDouble());
    return s < 60
        ? s + "s"
        : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }

  private static String percent(JsonNode rate) {
    return rate.isNull() || rate.isMissingNode()
        ? "-"
        : String.format(java.util.Locale.ROOT, "%.1f%%", rate.asDouble() * 100);
  }

  private static String verdict(JsonNode met) {
    return met.isNull() || met.isMissingNode() ? "no data" : met.asBoolean() ? "met" : "MISSED";
  }
}
