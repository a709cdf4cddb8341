package dev.cairn.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The production definition keeps the promises of docs/pipeline-contract.md. */
class DeployArtifactPipelineDefinitionTest {
  static String text;
  static JsonNode states;

  @BeforeAll
  static void load() throws IOException {
    text = Files.readString(DeployArtifactPipelinePathTest.DEFINITION);
    states = Asl.parse(text).get("States");
  }

  static List<Map.Entry<String, JsonNode>> tasks() {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = states.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().get("Type").asText().equals("Task")) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void placeholders_areExactlyTheDocumentedSubstitutions() {
    Set<String> found = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    assertThat(found)
        .containsExactlyInAnyOrder(
            "AlertTopicArn",
            "DeployerFunctionArn",
            "EventBusName",
            "ManifestVerifierFunctionArn",
            "MaxRollbackAttempts");
  }

  @Test
  void everyTask_hasTheSixtyMinutePhaseTimeout_andARetryWithBackoffAndJitter() {
    for (Map.Entry<String, JsonNode> t : tasks()) {
      JsonNode s = t.getValue();
      assertThat(s.path("TimeoutSeconds").asInt()).as(t.getKey()).isEqualTo(3600);
      JsonNode retry = s.path("Retry").path(0);
      assertThat(retry.path("JitterStrategy").asText()).as(t.getKey()).isEqualTo("FULL");
      assertThat(retry.path("BackoffRate").asDouble()).as(t.getKey()).isGreaterThan(1.0);
    }
  }

  @Test
  void lambdaTasks_retryTheTransientLambdaErrorsAndTransientError() {
    for (Map.Entry<String, JsonNode> t : tasks()) {
      if (!t.getValue().get("Resource").asText().equals("arn:aws:states:::lambda:invoke")) {
        continue;
      }
      List<String> errors = new ArrayList<>();
      t.getValue().at("/Retry/0/ErrorEquals").forEach(e -> errors.add(e.asText()));
      assertThat(errors)
          .as(t.getKey())
          .contains(
              "Lambda.ServiceException",
              "Lambda.SdkClientException",
              "Lambda.TooManyRequestsException",
              "dev.cairn.core.pipeline.TransientError");
    }
  }

  @Test
  void everyCatch_leadsToALedgerRecordBeforeTheExecutionEnds() {
    Set<String> allowed =
        Set.of("DuplicateExecutionIgnored", "AwaitingApprovals", "LedgerWriteFailed");
    for (Map.Entry<String, JsonNode> t : tasks()) {
      for (JsonNode c : t.getValue().path("Catch")) {
        String target = c.get("Next").asText();
        // Record*, Emit* and alert states run after the ledger write; their Catch may end.
        if (allowed.contains(target)
            || t.getKey().startsWith("Record")
            || t.getKey().startsWith("Emit")
            || t.getKey().equals("PublishCriticalAlert")
            || t.getKey().equals("AlertLedgerWriteFailed")) {
          continue;
        }
        assertThat(reachesRecordBeforeEnd(target, new TreeSet<>()))
            .as(t.getKey() + " -> " + target)
            .isTrue();
      }
    }
  }

  /**
   * True when every path from {@code state} passes a Record* state (or an emit/alert after one).
   */
  private static boolean reachesRecordBeforeEnd(String state, Set<String> seen) {
    if (state.startsWith("Record")
        || state.startsWith("Emit")
        || state.equals("PublishCriticalAlert")
        || state.equals("AlertLedgerWriteFailed")) {
      return true;
    }
    if (!seen.add(state)) {
      return true;
    }
    JsonNode s = states.get(state);
    String type = s.get("Type").asText();
    if (type.equals("Fail") || type.equals("Succeed") || s.path("End").asBoolean(false)) {
      return false;
    }
    List<String> next = new ArrayList<>();
    if (s.has("Next")) {
      next.add(s.get("Next").asText());
    }
    s.path("Choices").forEach(c -> next.add(c.get("Next").asText()));
    if (s.has("Default")) {
      next.add(s.get("Default").asText());
    }
    s.path("Catch").forEach(c -> next.add(c.get("Next").asText()));
    return next.stream().allMatch(n -> reachesRecordBeforeEnd(n, seen));
  }

  @Test
  void events_goToTheCairnBusWithSpecDetailTypes() {
    Set<String> detailTypes = new TreeSet<>();
    for (Map.Entry<String, JsonNode> t : tasks()) {
      if (t.getValue().get("Resource").asText().equals("arn:aws:states:::events:putEvents")) {
        JsonNode entry = t.getValue().at("/Parameters/Entries/0");
        assertThat(entry.get("Source").asText()).isEqualTo("cairn.pipeline");
        assertThat(entry.get("EventBusName").asText()).isEqualTo("${EventBusName}");
        detailTypes.add(entry.get("DetailType").asText());
      }
    }
    assertThat(detailTypes)
        .contains("InvalidArtifact", "DeployFailed", "ArtifactPromoted", "RollbackFailed");
  }

  @Test
  void definition_isValidForTheExecutorBeforeSubstitution() {
    assertThat(
            StateMachine.parse("DeployArtifactPipeline", text).definition().get("StartAt").asText())
        .isEqualTo("ArtifactFromTrigger");
  }
}
