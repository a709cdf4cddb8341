package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * An execution as it runs, one line per step: a line when it starts, one per Task and Wait state
 * with its (virtual) duration, a poll loop ({@code WaitForX}/{@code PollX}) or an alarm window
 * folded into one line with its count, and a line when it ends. {@code cairn sandbox run} prints it
 * for the executions it runs, and {@code cairn status --watch} for those it reads from Step
 * Functions' history.
 */
public class ExecutionTimeline implements ExecutionListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the lines go; null prints nothing. */
  protected final PrintStream out;

  private final Function<JsonNode, String> startLabel;
  private String loop;
  private int loopCount;
  private Duration loopTime = Duration.ZERO;

  /**
   * @param out where the lines go (null: nowhere)
   * @param startLabel what the start line says of an execution, from its input
   */
  public ExecutionTimeline(PrintStream out, Function<JsonNode, String> startLabel) {
    this.out = out;
    this.startLabel = startLabel;
  }

  @Override
  public void onEvent(HistoryEvent event) {
    if (out == null) {
      return;
    }
    if (event.type().equals("ExecutionStarted")) {
      // History keeps the input as a JSON string, as Step Functions does.
      JsonNode input;
      try {
        input = JSON.readTree(event.details().path("input").asText("{}"));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      out.println("▶ " + startLabel.apply(input));
    }
    if (event.type().startsWith("Execution") && !event.type().equals("ExecutionStarted")) {
      flushLoop();
    }
    if (event.type().equals("ExecutionSucceeded") || event.type().equals("ExecutionFailed")) {
      out.println(
          "■ "
              + event.type()
              + (event.type().equals("ExecutionFailed")
                  ? " " + event.details().path("error").asText()
                  : ""));
    }
  }

  /** Task and Wait states, one line each; a poll loop (WaitForX/PollX) folds into one line. */
  @Override
  public void onStateCompleted(String stateName, String stateType, Duration duration) {
    if (out == null || stateType.equals("Pass") || stateType.equals("Choice")) {
      return;
    }
    String group = loopOf(stateName);
    boolean look = stateName.startsWith("Poll") || stateName.startsWith("Check");
    if (group != null && group.equals(loop)) {
      loopCount += look ? 1 : 0;
      loopTime = loopTime.plus(duration);
      return;
    }
    flushLoop();
    if (group != null) {
      loop = group;
      loopCount = look ? 1 : 0;
      loopTime = duration;
      return;
    }
    out.printf("    %-28s %-5s %8s%n", stateName, stateType, human(duration));
    out.flush();
  }

  /**
   * The loop a state belongs to: a poll loop (WaitForX/PollX), or an alarm window (the bake's
   * CheckAlarms/BakePeriod, the post-deploy watch's CheckPostDeployAlarms/PostDeployWatchPeriod).
   */
  private static String loopOf(String stateName) {
    if (stateName.startsWith("WaitFor")) {
      return "Poll" + stateName.substring(7);
    }
    if (stateName.startsWith("Poll")) {
      return stateName;
    }
    return switch (stateName) {
      case "CheckAlarms", "BakePeriod" -> "CheckAlarms";
      case "CheckPostDeployAlarms", "PostDeployWatchPeriod" -> "CheckPostDeployAlarms";
      default -> null;
    };
  }

  private void flushLoop() {
    if (loop != null) {
      out.printf("    %-28s %-5s %8s%n", loop + " ×" + loopCount, "loop", human(loopTime));
      loop = null;
    }
  }

  /** 42s, 3m20s, 1h5m. */
  public static String human(Duration d) {
    long s = d.toSeconds();
    return s < 60
        ? s + "s"
        : s < 3600
            ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s")
            : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }
}
