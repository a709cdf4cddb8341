package dev.cairn.aws.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.dynamodb.AttributeValues;
import dev.cairn.aws.dynamodb.Contention;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.ExecutionStatus;
import dev.cairn.core.ledger.ItemMacs;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.ledger.TransitionRequest;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.testsupport.DynamoDbLocalExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The ledger's timestamps are {@link Instant}s, and its items and documents are the bytes they were
 * when they were strings. The fixtures in {@code ledger-wire/} were written by the code before the
 * change (see its README); every test here reads or writes them through the typed record.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class ArtifactWireFormatTest {

  private static final dev.cairn.aws.kms.ItemMacKeys MACS = new dev.cairn.aws.kms.ItemMacKeys();

  private final DynamoDbClient dynamoDb;
  private final LocalTables tables;

  ArtifactWireFormatTest(DynamoDbClient dynamoDb, LocalTables tables) {
    this.dynamoDb = dynamoDb;
    this.tables = tables;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ledger-record-seconds-build-time.json", "ledger-record-nanos-build-time.json"})
  void storedItem_readAndWrittenAgain_isTheSameAttributesAndBytes(String fixture)
      throws IOException {
    String document = resource(fixture);
    Map<String, AttributeValue> item = AttributeValues.fromJson(object(document));

    ArtifactRecord r = ArtifactItems.fromItem(item);

    assertThat(ArtifactItems.toItem(r)).isEqualTo(item);
    assertThat(Json.mapper().writeValueAsString(ArtifactItems.toJson(r)) + "\n")
        .isEqualTo(document);
    assertThat(r.executionStartedAt()).isEqualTo(Instant.parse("2026-11-22T10:01:00.120Z"));
    assertThat(r.environment("stage").testStartedAt())
        .isEqualTo(Instant.parse("2026-11-22T10:20:00.5Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-22T09:00:00Z", "2026-11-22T09:00:00.123456789Z"})
  void typedWriters_writeWhatTheStringWritersWrote(String buildTime) throws IOException {
    String fixture =
        buildTime.endsWith("00Z")
            ? "ledger-record-seconds-build-time.json"
            : "ledger-record-nanos-build-time.json";
    // The fixture program's steps, with Instants where it had TransitionPlanner.iso strings.
    ArtifactRecord r = candidate(Instant.parse(buildTime), buildTime.endsWith("00Z") ? "a" : "b");
    r =
        TransitionPlanner.plan(
                r,
                TransitionRequest.of(
                        r.key(),
                        new Actor(ActorRole.PIPELINE, "d"),
                        "LeaseAcquired",
                        StateChange.environment(
                            "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING))
                    .withAttributes(
                        b ->
                            b.executionId("arn:aws:states:us-east-1:1:execution:x:y")
                                .executionStartedAt(Instant.parse("2026-11-22T10:01:00.120Z"))
                                .executionStatus(ExecutionStatus.RUNNING)
                                .environment(
                                    "stage",
                                    b.environmentStates()
                                        .get("stage")
                                        .withDeployTimes(
                                            Instant.parse("2026-11-22T10:01:00.250333Z"),
                                            null,
                                            null))),
                Instant.parse("2026-11-22T10:01:00.250333Z"),
                "chain#2")
            .after();
    r =
        TransitionPlanner.plan(
                r,
                TransitionRequest.of(
                        r.key(), new Actor(ActorRole.FINALIZER, "f"), "FinalizerCorrectedMetadata")
                    .withAttributes(
                        b ->
                            b.executionStatus(ExecutionStatus.FAILED)
                                .executionCompletedAt(Instant.parse("2026-11-22T10:30:00Z"))
                                .finalizerRan(true)
                                .finalizerCorrected(true)
                                .finalizerCorrectedAt(Instant.parse("2026-11-22T10:31:00.000999Z"))
                                .environment(
                                    "stage",
                                    b.environmentStates()
                                        .get("stage")
                                        .withDeployTimes(
                                            b.environmentStates().get("stage").deployStartedAt(),
                                            Instant.parse("2026-11-22T10:12:00.001Z"),
                                            660L)
                                        .withTestTimes(
                                            Instant.parse("2026-11-22T10:20:00.5Z"),
                                            Instant.parse("2026-11-22T10:25:00.999999999Z"),
                                            300L))),
                Instant.parse("2026-11-22T10:31:00.000999Z"),
                "chain#3")
            .after();

    assertThat(Json.mapper().writeValueAsString(ArtifactItems.toJson(r)) + "\n")
        .isEqualTo(resource(fixture));
  }

  /**
   * A manifest may give {@code build_time} with 1 to 9 fraction digits, and the registrar stored
   * that text. Read as an Instant it is written back in {@code Instant.toString()} form, and the
   * next transition must carry that change: otherwise the item keeps {@code .5Z} under a MAC
   * computed over {@code .500Z} and every later read is refused as unauthenticated.
   */
  @Test
  void storedShortFractionBuildTime_isWrittenInInstantForm_andTheItemStillAuthenticates()
      throws IOException {
    Map<String, AttributeValue> item =
        new LinkedHashMap<>(
            AttributeValues.fromJson(
                object(resource("ledger-record-short-fraction-build-time.json"))));
    assertThat(item.get("build_time").s()).isEqualTo("2026-11-22T09:00:00.5Z");
    ArtifactKey key = new ArtifactKey(item.get("service").s(), item.get("commit_sha").s());
    // Stored the way the ledger stored it: sealed over the item as it is.
    item.put(
        ItemMacs.ATTRIBUTE, AttributeValue.fromS(MACS.macs().macOf(AttributeValues.toJson(item))));
    dynamoDb.putItem(r -> r.tableName(tables.artifactMetadata()).item(item));
    DynamoDbDeploymentLedger ledger = ledger();

    assertThat(ledger.find(key).orElseThrow().buildTime())
        .isEqualTo(Instant.parse("2026-11-22T09:00:00.500Z"));
    ledger.annotate(
        key,
        new Actor(ActorRole.FINALIZER, "f"),
        "FinalizerRan",
        b -> b.finalizerRan(true),
        Map.of());

    Map<String, AttributeValue> stored =
        dynamoDb
            .getItem(r -> r.tableName(tables.artifactMetadata()).key(ArtifactItems.key(key)))
            .item();
    assertThat(stored.get("build_time").s()).isEqualTo("2026-11-22T09:00:00.500Z");
    assertThat(ledger.find(key).orElseThrow().finalizerRan()).isTrue();
    assertThat(MACS.refused()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "yesterday",
        "2026-11-22 10:00:00Z",
        "2026-11-22T10:00:00+01:00",
        "2026-11-22T10:00:00.1234567891Z",
        "2026-02-30T10:00:00Z",
        "2026-11-22T10:00:00z",
        ""
      })
  void unreadableTimestamp_isRefusedNamingTheAttribute(String text) throws IOException {
    ObjectNode doc = object(resource("ledger-record-seconds-build-time.json"));
    ((ObjectNode) doc.get("environment_states").get("stage")).put("test_completed_at", text);

    assertThatThrownBy(() -> ArtifactItems.fromJson(doc))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unreadable cdk-artifact-metadata item")
        .hasMessageContaining("test_completed_at must be an ISO-8601 UTC time")
        .hasMessageContaining('"' + text + '"');
  }

  @Test
  void numericTimestamp_isRefusedNamingTheAttribute() throws IOException {
    ObjectNode doc = object(resource("ledger-record-seconds-build-time.json"));
    doc.put("updated_at", 1795345561L);

    assertThatThrownBy(() -> ArtifactItems.fromJson(doc))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("updated_at must be an ISO-8601 UTC time string");
  }

  private DynamoDbDeploymentLedger ledger() {
    return new DynamoDbDeploymentLedger(
        dynamoDb,
        tables.artifactMetadata(),
        tables.auditLog(),
        "chain-" + java.util.UUID.randomUUID(),
        LedgerFixtures.CLOCK,
        Contention.defaults(),
        MACS.macs(),
        MACS.alerts());
  }

  private static ArtifactRecord candidate(Instant buildTime, String c) {
    ArtifactRecord candidate =
        CandidateRecords.candidate(
            new ArtifactKey("orders", c.repeat(40)),
            "b".repeat(64),
            "s3://cdk-artifacts-candidate/orders/" + c.repeat(40) + "/",
            buildTime,
            "2.1148.1",
            "c".repeat(64),
            Map.of("aws-cdk-lib", "2.263.0"),
            true,
            null,
            "us-east-1",
            List.of(
                new CandidateRecords.Environment("stage", "us-east-1"),
                new CandidateRecords.Environment("prod", "eu-west-1")));
    return TransitionPlanner.planCreate(
            candidate,
            new Actor(ActorRole.CI, "ci"),
            Instant.parse("2026-11-22T10:00:00.123456789Z"),
            "chain#1")
        .after();
  }

  private static ObjectNode object(String document) throws IOException {
    return (ObjectNode) Json.parse(document.getBytes(StandardCharsets.UTF_8));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        ArtifactWireFormatTest.class.getResourceAsStream("/ledger-wire/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
