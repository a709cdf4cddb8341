package dev.cairn.cli.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliRunner;
import dev.cairn.core.json.Json;
import dev.cairn.core.kpi.KpiHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn kpi} on an exported chain: the hand-worked week, and a tampered copy of it. */
class KpiCommandTest {

  @TempDir Path tmp;

  @Test
  void kpi_onTheWeek_printsTheHandWorkedFigures() throws Exception {
    Path file = export(KpiHistory.week());

    CliRunner.Result r =
        CliRunner.run(
            "kpi",
            "--service",
            "orders",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-08",
            "--file",
            file.toString(),
            "--format",
            "json");

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode k = Json.parse(r.out()).path("all");
    assertThat(k.at("/lead_time_seconds/median").asDouble()).isEqualTo(1200);
    assertThat(k.at("/change_failure_rate/rate").asDouble()).isEqualTo(0.4);
    assertThat(k.at("/mttr_seconds/mean").asDouble()).isEqualTo(840);
    assertThat(Json.parse(r.out()).at("/audit/verified").asBoolean()).isTrue();
  }

  @Test
  void kpi_all_text_namesEveryService() throws Exception {
    Path file = export(KpiHistory.week());

    CliRunner.Result r =
        CliRunner.run(
            "kpi",
            "--all",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-08",
            "--file",
            file.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("all services, 2026-11-01T00:00:00Z")
        .contains("billing,")
        .contains("orders,")
        .contains("change failure rate 40.0% (2 of 5)")
        .contains("audit chain: 29 entries, verified");
  }

  @Test
  void kpi_onATamperedChain_exitsOneAndSaysSo() throws Exception {
    List<ObjectNode> week = new ArrayList<>(KpiHistory.week());
    // Someone rewrites B's failed smoke test as a pass, hoping for a better failure rate.
    for (ObjectNode e : week) {
      if (e.path("action").asText().equals("TestsFailed")) {
        ((ObjectNode) e.path("changes").get(0)).put("to", "test_passed");
        break;
      }
    }
    Path file = export(week);

    CliRunner.Result r =
        CliRunner.run(
            "kpi",
            "--service",
            "orders",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-08",
            "--file",
            file.toString());

    assertThat(r.exit()).isEqualTo(CairnCli.EXIT_FAILED);
    assertThat(r.out()).startsWith("AUDIT CHAIN BROKEN at sequence");
  }

  @Test
  void kpi_withBadDates_isAUsageError() throws Exception {
    Path file = export(KpiHistory.week());
    assertThat(
            CliRunner.run("kpi", "--all", "--since", "yesterday", "--file", file.toString()).exit())
        .isEqualTo(CairnCli.EXIT_USAGE);
    assertThat(
            CliRunner.run(
                    "kpi",
                    "--all",
                    "--since",
                    "2026-11-08",
                    "--until",
                    "2026-11-01",
                    "--file",
                    file.toString())
                .exit())
        .isEqualTo(CairnCli.EXIT_USAGE);
  }

  private Path export(List<ObjectNode> entries) throws Exception {
    List<String> lines = new ArrayList<>();
    entries.forEach(e -> lines.add(Json.compact(e)));
    return Files.write(tmp.resolve("audit.jsonl"), lines);
  }
}
