package dev.cairn.sandbox.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cairn.asl.HistoryEvent;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * The Step Functions reads {@code cairn status --watch} makes, over AWS JSON 1.0 ({@code
 * X-Amz-Target: AWSStepFunctions.*}): {@code ListStateMachines}, {@code ListExecutions}, {@code
 * DescribeExecution} and {@code GetExecutionHistory}, answered from the live world's executions and
 * the history its executor wrote. Timestamps are epoch seconds, errors {@code {"__type": code,
 * "message": ...}} with status 400, as Step Functions answers.
 */
public final class StepFunctionsJsonProtocol implements LocalAwsEndpoint.Service {

  private final SfnClient sfn;
  private final String stateMachineArn;
  private final Function<String, List<HistoryEvent>> histories;

  /**
   * @param sfn the world's Step Functions
   * @param stateMachineArn the one state machine it runs
   * @param histories the history events of an execution so far, by execution ARN
   */
  public StepFunctionsJsonProtocol(
      SfnClient sfn, String stateMachineArn, Function<String, List<HistoryEvent>> histories) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
    this.histories = histories;
  }

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] body)
      throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
    ObjectNode out;
    try {
      JsonNode in = Json.parse(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
      out =
          switch (op) {
            case "ListStateMachines" -> listStateMachines();
            case "ListExecutions" -> listExecutions(in);
            case "DescribeExecution" -> describe(in.path("executionArn").asText());
            case "GetExecutionHistory" -> history(in.path("executionArn").asText());
            default -> throw new Refused("UnknownOperationException", "unknown operation " + op);
          };
    } catch (Refused e) {
      error(exchange, e.code, e.getMessage());
      return;
    } catch (SfnException e) {
      error(
          exchange,
          e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
              ? e.awsErrorDetails().errorCode()
              : e.getClass().getSimpleName(),
          e.getMessage());
      return;
    }
    LocalAwsEndpoint.send(
        exchange,
        200,
        "application/x-amz-json-1.0",
        Json.compact(out).getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode listStateMachines() {
    ObjectNode out = Json.object();
    ObjectNode m = out.putArray("stateMachines").addObject();
    m.put("stateMachineArn", stateMachineArn);
    m.put("name", stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1));
    m.put("type", "STANDARD");
    m.put("creationDate", 0);
    return out;
  }

  private ObjectNode listExecutions(JsonNode in) {
    if (!stateMachineArn.equals(in.path("stateMachineArn").asText())) {
      throw new Refused(
          "StateMachineDoesNotExist",
          "State Machine Does Not Exist: '" + in.path("stateMachineArn").asText() + "'");
    }
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("executions");
    for (ExecutionListItem e :
        sfn.listExecutions(r -> r.stateMachineArn(stateMachineArn)).executions()) {
      ObjectNode x = list.addObject();
      x.put("executionArn", e.executionArn());
      x.put("stateMachineArn", e.stateMachineArn());
      x.put("name", e.name());
      x.put("status", e.statusAsString());
      x.put("startDate", seconds(e.startDate()));
      if (e.stopDate() != null) {
        x.put("stopDate", seconds(e.stopDate()));
      }
    }
    return out;
  }

  private ObjectNode describe(String executionArn) {
    DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(executionArn));
    ObjectNode out = Json.object();
    out.put("executionArn", d.executionArn());
    out.put("stateMachineArn", d.stateMachineArn());
    out.put("name", d.name());
    out.put("status", d.statusAsString());
    out.put("startDate", seconds(d.startDate()));
    if (d.stopDate() != null) {
      out.put("stopDate", seconds(d.stopDate()));
    }
    out.put("input", d.input());
    if (d.output() != null) {
      out.put("output", d.output());
    }
    if (d.error() != null) {
      out.put("error", d.error());
      out.put("cause", d.cause());
    }
    return out;
  }

  private ObjectNode history(String executionArn) {
    // Throws ExecutionDoesNotExist for an unknown ARN, as Step Functions does.
    sfn.describeExecution(r -> r.executionArn(executionArn));
    ObjectNode out = Json.object();
    ArrayNode events = out.putArray("events");
    for (HistoryEvent h : histories.apply(executionArn)) {
      ObjectNode e = events.addObject();
      e.put("timestamp", seconds(h.timestamp()));
      e.put("type", h.type());
      e.put("id", h.id());
      e.put("previousEventId", h.previousEventId());
      if (!h.details().isEmpty()) {
        e.set(h.detailsKey(), h.details());
      }
    }
    return out;
  }

  private static BigDecimal seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }

  private static void error(HttpExchange exchange, String code, String message) throws IOException {
    ObjectNode body = Json.object();
    body.put("__type", code);
    body.put("message", message);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
    LocalAwsEndpoint.send(
        exchange,
        400,
        "application/x-amz-json-1.0",
        Json.compact(body).getBytes(StandardCharsets.UTF_8));
  }

  private static final class Refused extends RuntimeException {
    final String code;

    Refused(String code, String message) {
      super(message);
      this.code = code;
    }
  }
}
