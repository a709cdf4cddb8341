package dev.cairn.lambda.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The two metrics of issue 6 as CloudWatch EMF (AWS_EMF_ENVIRONMENT=Local prints to stdout): the
 * spec's names verbatim, in the configured namespace.
 */
class PowertoolsMetricsTest {

  @Test
  void finalizerCorrectedAndArtifactNeverPromoted_areEmittedWithTheSpecsNames() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      PowertoolsPipelineMetrics metrics =
          new PowertoolsPipelineMetrics(MetricsFactory.getMetricsInstance(), "Cairn");
      metrics.finalizerCorrected("orders", "stage");
      metrics.artifactNeverPromoted(3);
    } finally {
      System.setOut(original);
    }
    String emf = out.toString(StandardCharsets.UTF_8);
    assertThat(emf).contains("\"FinalizerCorrected\"", "\"ArtifactNeverPromoted\"", "\"Cairn\"");
    assertThat(emf).contains("\"service\":\"orders\"", "\"environment\":\"stage\"");
  }
}
