package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

class SsmEmulatorTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private final SsmEmulator ssm =
      new SsmEmulator("222222222222", "eu-west-1", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void getParameter_returnsSeededBootstrapVersion() {
    ssm.seed("/cdk-bootstrap/hnb659fds/version", "21");
    GetParameterRequest request =
        GetParameterRequest.builder().name("/cdk-bootstrap/hnb659fds/version").build();
    var p = ssm.getParameter(request).parameter();
    assertThat(p.value()).isEqualTo("21");
    assertThat(p.version()).isEqualTo(1L);
    assertThat(p.type()).isEqualTo(ParameterType.STRING);
    assertThat(p.arn())
        .isEqualTo("arn:aws:ssm:eu-west-1:222222222222:parameter/cdk-bootstrap/hnb659fds/version");
    assertThat(p.lastModifiedDate()).isEqualTo(NOW);
    assertThat(ssm.requests(GetParameterRequest.class)).containsExactly(request);
  }

  @Test
  void getParameter_missing_isParameterNotFound400() {
    assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/cairn/break-glass")))
        .isInstanceOfSatisfying(
            ParameterNotFoundException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterNotFound");
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }

  @Test
  void
      putParameter_existingWithoutOverwrite_isParameterAlreadyExists_andOverwriteIncrementsVersion() {
    assertThat(
            ssm.putParameter(
                    r -> r.name("/cairn/break-glass").value("false").type(ParameterType.STRING))
                .version())
        .isEqualTo(1L);
    assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/cairn/break-glass").value("true")))
        .isInstanceOfSatisfying(
            ParameterAlreadyExistsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterAlreadyExists");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThat(
            ssm.putParameter(r -> r.name("/cairn/break-glass").value("true").overwrite(true))
                .version())
        .isEqualTo(2L);
    assertThat(ssm.getParameter(r -> r.name("/cairn/break-glass")).parameter().value())
        .isEqualTo("true");
    assertThat(ssm.callCounts()).containsEntry("PutParameter", 3).containsEntry("GetParameter", 1);
  }

  @Test
  void putParameter_raisesParameterStoreChange_createThenUpdate_neverOnSeedOrRefusal() {
    java.util.List<String> changes = new java.util.ArrayList<>();
    ssm.seed("/cairn/control-plane-config", "{}");
    ssm.onChange(
        (operation, p, description) ->
            changes.add(operation + " " + p.name() + " " + p.typeAsString() + " " + p.arn()));

    ssm.seed("/cairn/control-plane-config", "{\"seeded\":true}");
    ssm.putParameter(r -> r.name("/cairn/break-glass").value("{\"enabled\":false}"));
    ssm.putParameter(r -> r.name("/cairn/break-glass").value("{\"enabled\":true}").overwrite(true));
    assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/cairn/break-glass").value("{}")))
        .isInstanceOf(ParameterAlreadyExistsException.class);

    assertThat(changes)
        .containsExactly(
            "Create /cairn/break-glass String"
                + " arn:aws:ssm:eu-west-1:222222222222:parameter/cairn/break-glass",
            "Update /cairn/break-glass String"
                + " arn:aws:ssm:eu-west-1:222222222222:parameter/cairn/break-glass");
  }
}
