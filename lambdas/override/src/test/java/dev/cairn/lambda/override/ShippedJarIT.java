package dev.cairn.lambda.override;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/override.jar}, as Lambda receives it: INIT, priming and an approval with a bad
 * signature in a fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters
 * removed is named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "override";
  }

  @Override
  protected Class<?> handler() {
    return OverrideHandler.class;
  }

  @Override
  protected String event() {
    return "{\"schema_version\":\"1\",\"action\":\"approve\",\"service\":\"orders\",\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"dev\",\"artifact_sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"installation_id\":\"111111111111:us-east-1\",\"approval_expires_at\":\"2026-11-23T12:00:00Z\",\"reason\":\"bench\",\"requester\":\"bob@example.com\",\"requested_at\":\"2026-11-22T12:00:00Z\",\"expires_at\":\"2026-11-22T12:10:00Z\",\"nonce\":\"c2946ac92492d2347c6235b4d2611185\",\"signing_identity\":\"key:bob\",\"signature\":\"MEUCIQDxN2Jv5pS0qZ8l3bWQ1a0m9u7nQ8m7y1hWwqj9g0v8jQIgQ0y2m5d2rVbq9O1m3m8o3p6H0rKk3zGz2XW2Yl3lVn0=\"}";
  }

  @Override
  protected long budgetBytes() {
    return 19_000_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome())
        .as(run.output())
        .contains("\"outcome\":\"refused\"")
        .contains("\"failure\":\"OVERRIDE_SIGNATURE_INVALID\"");
  }
}
