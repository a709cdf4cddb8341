package dev.cairn.lambda.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/deployer.jar}, as Lambda receives it: INIT, priming and a lease on an unknown
 * record in a fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters
 * removed is named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "deployer";
  }

  @Override
  protected Class<?> handler() {
    return DeployerHandler.class;
  }

  @Override
  protected String event() {
    return "{\"action\":\"acquire_lease\",\"service\":\"orders\",\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"dev\",\"execution_id\":\"arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:bench\",\"trigger\":\"s3\",\"execution_name\":\"bench\",\"execution_started_at\":\"2026-12-06T09:00:00.000Z\",\"artifact_sha256\":\"9999999999999999999999999999999999999999999999999999999999999999\",\"asset_verification_passed\":true}";
  }

  @Override
  protected long budgetBytes() {
    return 20_000_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome())
        .as(run.output())
        .startsWith(
            "JARSMOKE threw java.lang.IllegalStateException: the ledger has no record of orders@");
  }
}
