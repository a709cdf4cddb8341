package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.asl.ExecutionListener;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.sandbox.iam.AwsCallMapper;
import dev.cairn.sandbox.iam.RecordedCall;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CI writes no ledger and no audit entry: every attack is refused by IAM with prod unchanged, and
 * CI's publication is one IAM-checked {@code lambda:InvokeFunction} of the registrar.
 */
class RegistrarAttacksTest {

  @ParameterizedTest
  @EnumSource(
      value = Scenario.class,
      names = {
        "CI_FORGES_LEDGER_DOWNGRADE",
        "CI_PREWRITES_LEASE_TO_SKIP_APPROVALS",
        "AUDIT_TAIL_REWRITE"
      })
  void attack_isRefusedByIam_andProdIsUnchanged(Scenario s) throws Exception {
    ObjectNode r = SandboxRun.run(new SandboxRun.Options(SandboxScenariosTest.REPO, s, System.out));

    JsonNode attack = r.path("attack");
    assertThat(attack.path("outcome").asText()).isEqualTo("refused");
    assertThat(attack.path("code").asText()).isEqualTo(Attack.ACCESS_DENIED);
    assertThat(attack.path("prod_changed").asBoolean()).isFalse();
    assertThat(attack.path("stopped_by").asText()).contains("no DynamoDB permission");
    assertThat(attack.path("denied_calls")).isNotEmpty();
    for (JsonNode d : attack.path("denied_calls")) {
      assertThat(d.asText())
          .startsWith("arn:aws:iam::000000000000:role/cdk-ci-artifact-builder ")
          .contains(" dynamodb:");
    }
    assertThat(r.path("iam").path("denied")).as("the control plane's own calls").isEmpty();
  }

  @Test
  void publish_isOneInvokeOfTheRegistrarsLiveAlias_andTheRecordIsTheRegistrars() throws Exception {
    try (SandboxWorld w = new SandboxWorld(ExecutionListener.none())) {
      ArtifactKey key =
          w.publish(
              SandboxScenariosTest.REPO.resolve("examples/hello-service/cdk.out"),
              SandboxRun.COMMIT_A,
              d -> {});

      List<CallLog.Call> ci =
          w.calls.calls().stream().filter(c -> c.principalArn().equals(w.ci.roleArn())).toList();
      assertThat(ci).noneMatch(c -> c.service().equals("DynamoDb"));
      List<RecordedCall> invokes =
          ci.stream()
              .filter(c -> c.service().equals("Lambda"))
              .flatMap(
                  c ->
                      new AwsCallMapper()
                          .map(c, SandboxWorld.REGION, SandboxWorld.TOOLS_ACCOUNT).stream())
              .toList();
      assertThat(invokes)
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.action()).isEqualTo("lambda:InvokeFunction");
                assertThat(i.resourceArn())
                    .isEqualTo(
                        "arn:aws:lambda:us-east-1:000000000000:function:cairn-registrar:live");
              });
      String registrarRole = w.functions.get("registrar").spec().roleArn();
      assertThat(w.calls.calls())
          .anyMatch(
              c ->
                  c.principalArn().equals(registrarRole)
                      && c.service().equals("DynamoDb")
                      && c.operation().equals("TransactWriteItems"));
      assertThat(w.ledger.find(key)).isPresent();
    }
  }
}
