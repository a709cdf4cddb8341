package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.START;
import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Spec section "Error Handling": Retriers, Catchers, predefined error names. */
class ErrorHandlingTest {

  /** Reported by its binary name, as the Java Lambda runtime reports errorType. */
  static class ServiceUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServiceUnavailable(String m) {
      super(m);
    }
  }

  private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:work";

  private static TaskHandlers failing(int times, List<java.time.Instant> calls, VirtualClock c) {
    AtomicInteger n = new AtomicInteger();
    return new TaskHandlers()
        .lambda(
            FN,
            req -> {
              calls.add(c.instant());
              if (n.getAndIncrement() < times) {
                throw new ServiceUnavailable("try again");
              }
              return json("{'ok':true}");
            });
  }

  @Test
  void retry_specExample_intervalBackoffRateAndMaxAttempts() {
    // Spec "Retrying after error": IntervalSeconds 3, BackoffRate 2, MaxAttempts 2 -> waits 3s, 6s.
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{"
            + "'ErrorEquals':['dev.cairn.asl.ErrorHandlingTest$ServiceUnavailable'],'IntervalSeconds':3,'BackoffRate':2,"
            + "'MaxAttempts':2}],'End':true}}}";
    VirtualClock clock = new VirtualClock(START);
    List<java.time.Instant> calls = new ArrayList<>();
    ExecutionResult r = run(def, "{}", failing(2, calls, clock), clock);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls).containsExactly(START, START.plusSeconds(3), START.plusSeconds(9));
  }

  @Test
  void retry_exhausted_failsWithHandlerErrorTypeAndMessage() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{"
            + "'ErrorEquals':['States.ALL'],'MaxAttempts':1}],'End':true}}}";
    VirtualClock clock = new VirtualClock(START);
    List<java.time.Instant> calls = new ArrayList<>();
    ExecutionResult r = run(def, "{}", failing(5, calls, clock), clock);
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("dev.cairn.asl.ErrorHandlingTest$ServiceUnavailable");
    assertThat(r.cause()).isEqualTo("try again");
    assertThat(calls).hasSize(2);
  }

  @Test
  void retry_maxAttemptsZero_neverRetries() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{"
            + "'ErrorEquals':['States.ALL'],'MaxAttempts':0}],'End':true}}}";
    VirtualClock clock = new VirtualClock(START);
    List<java.time.Instant> calls = new ArrayList<>();
    run(def, "{}", failing(5, calls, clock), clock);
    assertThat(calls).hasSize(1);
  }

  @Test
  void retry_maxDelaySeconds_capsBackoff_andFullJitterStaysBelowDelay() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Retry':[{"
            + "'ErrorEquals':['States.TaskFailed'],'IntervalSeconds':10,'BackoffRate':10,"
            + "'MaxAttempts':3,'MaxDelaySeconds':50}],'End':true}}}";
    VirtualClock clock = new VirtualClock(START);
    List<java.time.Instant> calls = new ArrayList<>();
    run(def, "{}", failing(3, calls, clock), clock);
    assertThat(calls)
        .containsExactly(
            START, START.plusSeconds(10), START.plusSeconds(60), START.plusSeconds(110));

    String jittered =
        def.replace("'MaxDelaySeconds':50", "'MaxDelaySeconds':50,'JitterStrategy':'FULL'");
    VirtualClock clock2 = new VirtualClock(START);
    List<java.time.Instant> calls2 = new ArrayList<>();
    run(jittered, "{}", failing(3, calls2, clock2), clock2);
    assertThat(Duration.between(calls2.get(0), calls2.get(1)))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(Duration.between(calls2.get(2), calls2.get(3)))
        .isLessThanOrEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void catch_specExample_resultPathKeepsInputAndAddsErrorOutput() {
    // Spec "Catchers": ResultPath "$.error-info" keeps input and adds {"Error","Cause"}.
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Catch':[{"
            + "'ErrorEquals':['java.lang.Exception'],'Next':'X'},{'ErrorEquals':['States.ALL'],"
            + "'ResultPath':'$.error-info','Next':'Recover'}],'End':true},"
            + "'X':{'Type':'Fail'},'Recover':{'Type':'Pass','End':true}}}";
    VirtualClock clock = new VirtualClock(START);
    ExecutionResult r = run(def, "{'foo':'bar'}", failing(9, new ArrayList<>(), clock), clock);
    assertThat(r.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(r.output())
        .isEqualTo(
            json(
                "{'foo':'bar','error-info':{'Error':'dev.cairn.asl.ErrorHandlingTest$ServiceUnavailable','Cause':'try again'}}"));
    assertThat(r.statesEntered()).containsExactly("T", "Recover");
  }

  @Test
  void statesAll_doesNotCatchStatesRuntime() {
    // Error names: "States.ALL ... cannot catch ... Runtime error types".
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "',"
            + "'InputPath':'$.missing','Catch':[{'ErrorEquals':['States.ALL'],'Next':'R'}],"
            + "'End':true},'R':{'Type':'Succeed'}}}";
    ExecutionResult r = run(def, "{}", new TaskHandlers().lambda(FN, q -> json("{}")));
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("States.Runtime");
  }

  @Test
  void taskFailure_withExplicitErrorName_isMatchedByName() {
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','Catch':[{"
            + "'ErrorEquals':['ArtifactRejected'],'Next':'R'}],'End':true},"
            + "'R':{'Type':'Pass','Result':'caught','End':true}}}";
    TaskHandlers h =
        new TaskHandlers()
            .lambda(
                "work",
                q -> {
                  throw new TaskFailure("ArtifactRejected", "bad signature");
                });
    assertThat(run(def, "{}", h).output()).isEqualTo(json("'caught'"));
  }

  @Test
  void statesTaskFailed_doesNotMatchStatesTimeout() {
    assertThat(AslExecutor.errorMatches(json("['States.TaskFailed']"), "States.Timeout")).isFalse();
    assertThat(AslExecutor.errorMatches(json("['States.TaskFailed']"), "Custom")).isTrue();
    assertThat(AslExecutor.errorMatches(json("['States.ALL']"), "States.Timeout")).isTrue();
    assertThat(AslExecutor.errorMatches(json("['States.ALL']"), "States.Runtime")).isFalse();
  }

  @Test
  void failState_specExample_errorAndCause() {
    String def =
        "{'StartAt':'F','States':{'F':{'Type':'Fail','Error':'ErrorA','Cause':'Kaiju attack'}}}";
    ExecutionResult r = run(def, "{}");
    assertThat(r.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(r.error()).isEqualTo("ErrorA");
    assertThat(r.cause()).isEqualTo("Kaiju attack");
  }

  @Test
  void failState_errorPathAndCausePath() {
    String def =
        "{'StartAt':'F','States':{'F':{'Type':'Fail','ErrorPath':'$.e','CausePath':'$.c'}}}";
    ExecutionResult r = run(def, "{'e':'E1','c':'why'}");
    assertThat(r.error()).isEqualTo("E1");
    assertThat(r.cause()).isEqualTo("why");
  }
}
