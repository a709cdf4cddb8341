package dev.cairn.sandbox.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.local.servers.LocalDynamoDb;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The synthesized tables in DynamoDB Local: every table whose template switches TTL on is created
 * with DynamoDB Local's TTL off (its expiry job reads the host's clock, weeks ahead of the
 * sandbox's virtual one, and deleted claimed override nonces), and the run says so.
 */
class LocalResourcesTest {

  private static final ControlPlaneAssembly ASSEMBLY = ControlPlaneAssembly.fromClasspath();

  @Test
  void tablesWithTtlInTheTemplate_keepDynamoDbLocalsExpiryOff_andAreListedAsUnmodelled() {
    List<ControlPlaneAssembly.Resource> withTtl =
        ASSEMBLY.resources("AWS::DynamoDB::Table").stream()
            .filter(t -> t.properties().at("/TimeToLiveSpecification/Enabled").asBoolean(false))
            .toList();
    // The override nonces live in the idempotency table, kept until a day after expiry by TTL.
    assertThat(withTtl)
        .extracting(ControlPlaneAssembly.Resource::physicalId)
        .contains("cairn-idempotency");

    LocalResources resources = new LocalResources();
    try (LocalDynamoDb server = LocalDynamoDb.start(0);
        DynamoDbClient dynamoDb = server.client()) {
      resources.createTables(ASSEMBLY, dynamoDb);

      for (ControlPlaneAssembly.Resource t : withTtl) {
        JsonNode ttl = t.properties().path("TimeToLiveSpecification");
        assertThat(
                dynamoDb
                    .describeTimeToLive(r -> r.tableName(t.physicalId()))
                    .timeToLiveDescription()
                    .timeToLiveStatus())
            .as(t.physicalId())
            .isEqualTo(TimeToLiveStatus.DISABLED);
        assertThat(resources.unmodelled())
            .anyMatch(
                line ->
                    line.startsWith(t.stack().stackName() + "/" + t.logicalId() + ": ")
                        && line.contains(
                            "TimeToLiveSpecification ("
                                + ttl.path("AttributeName").asText()
                                + ")"));
      }
    }
  }
}
