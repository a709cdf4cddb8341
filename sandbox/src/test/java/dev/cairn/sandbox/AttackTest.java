package dev.cairn.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.asl.ExecutionListener;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The attack harness: the attacker's calls are decided by IAM before they reach the service, a
 * refusal is what AWS answers, and an attack's end is checked against its evidence and prod.
 */
class AttackTest {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @Test
  void attackerCall_thatIamDenies_neverReachesTheServiceAndIsListed() throws Exception {
    try (SandboxWorld w = world()) {
      Attack a = new Attack(w, "CI deletes the chain head");
      Map<String, AttributeValue> key =
          Map.of(
              "service", AttributeValue.fromS("hello-service"),
              "commit_sha", AttributeValue.fromS("0".repeat(40)));
      w.dynamoDb.putItem(r -> r.tableName(SandboxWorld.METADATA_TABLE).item(key));

      Attacker.Denial d =
          a.ci()
              .denied(
                  () ->
                      a.ci()
                          .dynamoDb()
                          .deleteItem(r -> r.tableName(SandboxWorld.METADATA_TABLE).key(key)));

      assertThat(d.action()).isEqualTo("dynamodb:DeleteItem");
      assertThat(d.principal()).isEqualTo(w.ci.roleArn());
      assertThat(
              w.dynamoDb.getItem(r -> r.tableName(SandboxWorld.METADATA_TABLE).key(key)).hasItem())
          .as("a denied call must not reach DynamoDB")
          .isTrue();
      a.refusedByIam("the CI role has no dynamodb:DeleteItem");
      assertThat(w.attack.path("outcome").asText()).isEqualTo("refused");
      assertThat(w.attack.path("code").asText()).isEqualTo(Attack.ACCESS_DENIED);
      assertThat(w.attack.path("prod_changed").asBoolean()).isFalse();
      assertThat(w.attack.path("denied_calls")).hasSize(1);
    }
  }

  @Test
  void deniedCall_answersAsAwsDoes() throws Exception {
    try (SandboxWorld w = world()) {
      Attack a = new Attack(w, "CI deletes an audit entry");
      Map<String, AttributeValue> key =
          Map.of(
              "chain_id", AttributeValue.fromS("cairn"),
              "sequence", AttributeValue.fromN("1"));
      assertThatThrownBy(
              () ->
                  a.ci().dynamoDb().deleteItem(r -> r.tableName(SandboxWorld.AUDIT_TABLE).key(key)))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
              });
    }
  }

  @Test
  void callThatIamAllows_failsTheAttacksExpectation() throws Exception {
    try (SandboxWorld w = world()) {
      Attack a = new Attack(w, "CI uploads a new candidate object, as it may");
      assertThatThrownBy(
              () ->
                  a.ci()
                      .denied(
                          () ->
                              a.ci()
                                  .s3()
                                  .putObject(
                                      r ->
                                          r.bucket(SandboxWorld.CANDIDATE)
                                              .key("hello-service/" + "1".repeat(40) + "/x.json")
                                              .ifNoneMatch("*"),
                                      RequestBody.fromString("{}"))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("IAM allowed");
      assertThat(a.ci().denials()).isEmpty();
    }
  }

  @Test
  void listingTheCandidateBucket_isRefusedAsS3Refuses() throws Exception {
    try (SandboxWorld w = world()) {
      Attack a = new Attack(w, "CI lists the candidate bucket");
      assertThatThrownBy(() -> a.ci().s3().listObjectsV2(r -> r.bucket(SandboxWorld.CANDIDATE)))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
      assertThat(a.ci().denials())
          .singleElement()
          .extracting(Attacker.Denial::action)
          .isEqualTo("s3:ListBucket");
    }
  }

  @Test
  void refused_withoutTheCodeInTheAuditLog_failsTheScenario() throws Exception {
    try (SandboxWorld w = world()) {
      Attack a = new Attack(w, "nothing happens");
      assertThatThrownBy(() -> a.refused("NO_SUCH_CODE", "nothing"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("NO_SUCH_CODE");
      assertThatThrownBy(() -> a.refusedByIam("nothing"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("IAM denied nothing");
      assertThatThrownBy(() -> a.detected("NO_SUCH_ALARM", "nothing"))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  private static SandboxWorld world() throws Exception {
    SandboxWorld w = new SandboxWorld(ExecutionListener.none());
    w.repoRoot = REPO;
    return w;
  }
}
