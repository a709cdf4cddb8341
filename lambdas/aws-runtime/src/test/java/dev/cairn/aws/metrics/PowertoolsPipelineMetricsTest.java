package dev.cairn.aws.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.kpi.KpiGauges;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The spec's metrics as the real Powertools EMF lines (AWS_EMF_ENVIRONMENT=Local prints to stdout),
 * parsed and checked against schema/metrics-contract.json, the file the CDK alarms read too:
 * namespace, names verbatim, and exactly the contract's dimension sets with their values.
 */
class PowertoolsPipelineMetricsTest {

  private static final MetricsContract CONTRACT = MetricsContract.load();

  @Test
  void everyMetric_isWrittenWithTheContractsDimensionSets() throws Exception {
    List<JsonNode> documents =
        emf(
            m -> {
              m.deployLatency("orders", "prod", Duration.ofSeconds(90));
              m.rollbackLatency("orders", "prod", Duration.ofSeconds(30));
              m.finalizerCorrected("orders", "stage");
              m.artifactNeverPromoted(3);
              m.testResult("orders", "stage", false);
              m.rollbackAttempt("orders", "prod", false);
              m.assetHashMismatch("orders", "stage");
              m.anchorHeartbeat();
              m.deliveryKpis(new KpiGauges(1200.0, 40.0, 840.0, 20.0));
            });

    assertThat(documents).hasSize(CONTRACT.metrics().size());
    for (JsonNode doc : documents) {
      JsonNode directive = doc.path("_aws").path("CloudWatchMetrics").get(0);
      String name = directive.path("Metrics").get(0).path("Name").asText();
      assertThat(directive.path("Namespace").asText()).isEqualTo(CONTRACT.namespace());
      assertThat(directive.path("Metrics").get(0).path("Unit").asText())
          .isEqualTo(CONTRACT.metric(name).unit());
      assertThat(new ObjectMapper().convertValue(directive.path("Dimensions"), List.class))
          .as(name + " dimension sets")
          .isEqualTo(CONTRACT.dimensionSets(name));
      CONTRACT.alarmDimensions().forEach((k, v) -> assertThat(doc.path(k).asText()).isEqualTo(v));
    }
    assertThat(documents)
        .extracting(
            d ->
                d.path("_aws")
                    .path("CloudWatchMetrics")
                    .get(0)
                    .path("Metrics")
                    .get(0)
                    .path("Name")
                    .asText())
        .containsExactlyInAnyOrderElementsOf(CONTRACT.metrics().keySet());
  }

  @Test
  void finalizerCorrected_carriesTheServiceAndEnvironmentForDrillDown() throws Exception {
    JsonNode doc = emf(m -> m.finalizerCorrected("orders", "stage")).get(0);
    assertThat(doc.path("FinalizerCorrected").asDouble()).isEqualTo(1.0);
    assertThat(
            Map.of(
                "Service", doc.path("Service").asText(),
                "DeployedService", doc.path("DeployedService").asText(),
                "Environment", doc.path("Environment").asText()))
        .isEqualTo(Map.of("Service", "cairn", "DeployedService", "orders", "Environment", "stage"));
  }

  @Test
  void deliveryKpis_publishEachGaugeWithData_andNothingForNoData() throws Exception {
    List<JsonNode> documents = emf(m -> m.deliveryKpis(new KpiGauges(1800.0, null, null, 14.29)));

    assertThat(documents).hasSize(2);
    assertThat(documents.get(0).path("LeadTimeMedian").asDouble()).isEqualTo(1800.0);
    assertThat(documents.get(1).path("RollbackRate").asDouble()).isEqualTo(14.29);
    assertThat(documents.get(1).has("DeployedService"))
        .as("a KPI is an all-services gauge: the aggregate set only")
        .isFalse();
  }

  private static List<JsonNode> emf(java.util.function.Consumer<PowertoolsPipelineMetrics> emit)
      throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      emit.accept(new PowertoolsPipelineMetrics(MetricsFactory.getMetricsInstance(), CONTRACT));
    } finally {
      System.setOut(original);
    }
    List<JsonNode> documents = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{") && line.contains("\"_aws\"")) {
        documents.add(new ObjectMapper().readTree(line));
      }
    }
    return documents;
  }
}
