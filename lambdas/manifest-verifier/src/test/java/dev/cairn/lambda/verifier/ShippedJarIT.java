package dev.cairn.lambda.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/manifest-verifier.jar}, as Lambda receives it: INIT, priming and an unregistered
 * artifact in a fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters
 * removed is named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "manifest-verifier";
  }

  @Override
  protected Class<?> handler() {
    return ManifestVerifierHandler.class;
  }

  @Override
  protected String event() {
    return "{\"action\":\"verify\",\"service\":\"orders\",\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\",\"environment\":\"dev\",\"bucket\":\"cairn-candidates\",\"manifest_key\":\"orders/0123456789abcdef0123456789abcdef01234567/artifact-manifest.json\"}";
  }

  @Override
  protected long budgetBytes() {
    return 19_000_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome())
        .as(run.output())
        .startsWith("JARSMOKE threw dev.cairn.core.pipeline.ArtifactNotRegistered: ");
  }
}
