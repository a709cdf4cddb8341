package dev.cairn.lambda.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testsupport.lambda.ShippedJar;
import dev.cairn.testsupport.lambda.ShippedJarContract;

/**
 * {@code target/registrar.jar}, as Lambda receives it: INIT, priming and a missing manifest in a
 * fresh JVM whose class path is the jar ({@link ShippedJar}); what the shade filters removed is
 * named by no class Cairn's code reaches; the size.
 */
class ShippedJarIT extends ShippedJarContract {

  @Override
  protected String jarName() {
    return "registrar";
  }

  @Override
  protected Class<?> handler() {
    return RegistrarHandler.class;
  }

  @Override
  protected String event() {
    return "{\"service\":\"orders\",\"commit_sha\":\"0123456789abcdef0123456789abcdef01234567\"}";
  }

  @Override
  protected long budgetBytes() {
    return 18_500_000L;
  }

  @Override
  protected void expectOutcome(ShippedJar.Run run) {
    assertThat(run.outcome())
        .as(run.output())
        .contains("\"outcome\":\"refused\"")
        .contains("\"failure\":\"REGISTRATION_MANIFEST_MISSING\"");
  }
}
