package dev.cairn.asl;

import static dev.cairn.asl.AslTestSupport.START;
import static dev.cairn.asl.AslTestSupport.json;
import static dev.cairn.asl.AslTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Spec sections "Wait State", "Task State" (timeouts) and "Top-level fields" (TimeoutSeconds). */
class WaitAndTimeoutTest {

  private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:slow";

  @Test
  void wait_seconds_advancesVirtualClock() {
    VirtualClock clock = new VirtualClock(START);
    String def = "{'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':3600,'End':true}}}";
    ExecutionResult r = run(def, "{'a':1}", new TaskHandlers(), clock);
    assertThat(r.output()).isEqualTo(json("{'a':1}"));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(3600));
  }

  @Test
  void wait_specExamples_secondsPathTimestampAndTimestampPath() {
    VirtualClock clock = new VirtualClock(START);
    String def =
        "{'StartAt':'A','States':{'A':{'Type':'Wait','SecondsPath':'$.s','Next':'B'},"
            + "'B':{'Type':'Wait','Timestamp':'2026-01-01T01:00:00Z','Next':'C'},"
            + "'C':{'Type':'Wait','TimestampPath':'$.t','End':true}}}";
    run(def, "{'s':10,'t':'2026-01-01T02:00:00Z'}", new TaskHandlers(), clock);
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(7200));
  }

  @Test
  void wait_secondsPathNotAnInteger_failsStatesRuntime() {
    String def = "{'StartAt':'W','States':{'W':{'Type':'Wait','SecondsPath':'$.s','End':true}}}";
    assertThat(run(def, "{'s':'x'}").error()).isEqualTo("States.Runtime");
  }

  @Test
  void task_timeoutSeconds_failsStatesTimeoutOnVirtualClock() {
    VirtualClock clock = new VirtualClock(START);
    TaskHandlers h =
        new TaskHandlers()
            .lambda(
                FN,
                q -> {
                  q.clock().advance(Duration.ofSeconds(3601));
                  return json("{}");
                });
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','TimeoutSeconds':3600,"
            + "'Catch':[{'ErrorEquals':['States.Timeout'],'Next':'Late'}],'End':true},"
            + "'Late':{'Type':'Pass','End':true}}}";
    ExecutionResult r = run(def, "{}", h, clock);
    assertThat(r.output()).isEqualTo(json("{'Error':'States.Timeout'}"));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(3600));
    assertThat(r.history()).extracting(HistoryEvent::type).contains("TaskTimedOut");
  }

  @Test
  void task_timeoutSecondsPath_readsEffectiveInput() {
    TaskHandlers h =
        new TaskHandlers()
            .lambda(
                FN,
                q -> {
                  q.clock().advance(Duration.ofSeconds(20));
                  return json("{}");
                });
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','TimeoutSecondsPath':'$.limit','End':true}}}";
    assertThat(run(def, "{'limit':10}", h).error()).isEqualTo("States.Timeout");
    assertThat(run(def, "{'limit':30}", h).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void task_heartbeatSeconds_failsHeartbeatTimeoutWithoutHeartbeats() {
    TaskHandlers quiet =
        new TaskHandlers()
            .lambda(
                FN,
                q -> {
                  q.clock().advance(Duration.ofSeconds(100));
                  return json("{}");
                });
    TaskHandlers beating =
        new TaskHandlers()
            .lambda(
                FN,
                q -> {
                  for (int i = 0; i < 10; i++) {
                    q.clock().advance(Duration.ofSeconds(10));
                    q.heartbeat().run();
                  }
                  return json("{}");
                });
    String def =
        "{'StartAt':'T','States':{'T':{'Type':'Task','Resource':'"
            + FN
            + "','HeartbeatSeconds':30,'TimeoutSeconds':300,'End':true}}}";
    assertThat(run(def, "{}", quiet).error()).isEqualTo("States.HeartbeatTimeout");
    assertThat(run(def, "{}", beating).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
  }

  @Test
  void stateMachineTimeoutSeconds_timesOutExecution() {
    VirtualClock clock = new VirtualClock(START);
    String def =
        "{'TimeoutSeconds':60,'StartAt':'W','States':{'W':{'Type':'Wait','Seconds':3600,'End':true}}}";
    ExecutionResult r = run(def, "{}", new TaskHandlers(), clock);
    assertThat(r.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(r.output()).isNull();
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(60));
    assertThat(r.history().get(r.history().size() - 1).type()).isEqualTo("ExecutionTimedOut");
  }
}
