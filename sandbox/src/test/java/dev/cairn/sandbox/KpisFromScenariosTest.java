package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.kpi.DeliveryKpis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The KPIs of a history the real pipeline wrote: {@code prod-smoke-fails} deploys a good commit to
 * prod, then a second one whose smoke tests fail and which is rolled back. Whatever the emulators'
 * timings, that is two prod deployments, one failed and restored by one rollback.
 */
class KpisFromScenariosTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void prodSmokeFails_isOneFailedDeploymentOfTwo_restoredByItsRollback() throws Exception {
    AtomicReference<JsonNode> kpis = new AtomicReference<>();
    SandboxRun.run(
        new SandboxRun.Options(REPO, Scenario.of("prod-smoke-fails"), null),
        w ->
            kpis.set(
                DeliveryKpis.compute(
                    w.auditLog.entries(),
                    new DeliveryKpis.Window(
                        SandboxWorld.SERVICE,
                        "prod",
                        SandboxWorld.START,
                        SandboxWorld.START.plus(Duration.ofDays(1))))));
    JsonNode k = kpis.get();

    assertThat(k.at("/deployment_frequency/prod_deployments").asInt()).isEqualTo(2);
    assertThat(k.at("/lead_time_seconds/count").asInt()).isEqualTo(2);
    assertThat(k.at("/lead_time_seconds/measured_from/build").asInt()).isEqualTo(2);
    assertThat(k.at("/change_failure_rate/failed_deployments").asInt()).isEqualTo(1);
    assertThat(k.at("/rollback_rate/rollbacks").asInt()).isEqualTo(1);
    assertThat(k.at("/mttr_seconds/restored").asInt()).isEqualTo(1);
    assertThat(k.at("/mttr_seconds/mean").asDouble()).isPositive();
    // Stage and prod passed for the first commit, stage passed and prod failed for the second.
    assertThat(k.at("/test_failure_rate_7d/completed").asInt()).isEqualTo(4);
    assertThat(k.at("/test_failure_rate_7d/failed").asInt()).isEqualTo(1);
  }
}
