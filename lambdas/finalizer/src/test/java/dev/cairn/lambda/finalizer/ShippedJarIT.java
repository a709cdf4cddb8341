package dev.cairn.lambda.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/finalizer.jar}, as Lambda receives it: INIT, priming and a failed execution in a
 * fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters removed is
 * named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "finalizer";
  }

  @Override
  protected Class<?> handler() {
    return FinalizerHandler.class;
  }

  @Override
  protected String event() {
    return "{\"version\":\"0\",\"detail-type\":\"Step Functions Execution Status Change\",\"source\":\"aws.states\",\"detail\":{\"executionArn\":\"arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:bench\",\"name\":\"bench\",\"status\":\"FAILED\",\"startDate\":1796547600000,\"stopDate\":1796547900000,\"input\":\"{\\\"service\\\":\\\"orders\\\",\\\"commit_sha\\\":\\\"0123456789abcdef0123456789abcdef01234567\\\",\\\"environment\\\":\\\"dev\\\"}\"}}";
  }

  @Override
  protected long budgetBytes() {
    return 20_000_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome()).as(run.output()).contains("\"outcome\":\"ignored\"");
  }
}
