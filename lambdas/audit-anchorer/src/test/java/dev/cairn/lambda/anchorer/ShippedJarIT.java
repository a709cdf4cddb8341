package dev.cairn.lambda.anchorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/audit-anchorer.jar}, as Lambda receives it: INIT, priming and a scheduled anchor in
 * a fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters removed is
 * named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "audit-anchorer";
  }

  @Override
  protected Class<?> handler() {
    return AuditAnchorerHandler.class;
  }

  @Override
  protected String event() {
    return "{\"version\":\"0\",\"id\":\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"111111111111\",\"time\":\"2026-12-06T09:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";
  }

  @Override
  protected long budgetBytes() {
    return 18_500_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome()).as(run.output()).contains("\"kind\":\"heartbeat\"");
  }
}
