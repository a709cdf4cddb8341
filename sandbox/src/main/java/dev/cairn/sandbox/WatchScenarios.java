package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The alarm windows of the final environment. Commit A goes live; commit B meets its alarm during
 * the bake or the post-deploy watch and is rolled back to A.
 */
final class WatchScenarios {

  private WatchScenarios() {}

  /**
   * During commit B's prod bake the 5xx alarm fires when the first wait between two looks begins
   * and recovers just before the next look: its state is OK at every look, only the alarm history
   * shows the breach.
   */
  static void bakeAlarmFlaps(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    boolean[] fired = {false};
    w.interrupter =
        e -> {
          if (!e.type().endsWith("StateEntered")) {
            return;
          }
          if (!fired[0] && e.stateName().equals("BakePeriod")) {
            fired[0] = true;
            w.cloudWatch.setAlarmState(
                SandboxWorld.PROD_ALARM, StateValue.ALARM, "Threshold Crossed: 5xx 4.2% > 1%");
            c.note(SandboxWorld.PROD_ALARM + " fires during the bake");
          } else if (fired[0] && e.stateName().equals("CheckAlarms")) {
            w.interrupter = x -> {};
            w.cloudWatch.setAlarmState(
                SandboxWorld.PROD_ALARM, StateValue.OK, "Threshold not crossed");
            c.note(SandboxWorld.PROD_ALARM + " recovers before the next look");
          }
        };
    c.candidateUploaded(COMMIT_B);
  }

  /** Five minutes into commit B's post-deploy watch in prod the 5xx alarm breaches. */
  static void postDeployWatch(ScenarioContext c) throws Exception {
    SandboxWorld w = c.world();
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    Instant[] watchStarted = {null};
    w.interrupter =
        e -> {
          if (!e.type().endsWith("StateEntered")) {
            return;
          }
          if (e.stateName().equals("StartPostDeployWatch")) {
            watchStarted[0] = w.clock.instant();
          } else if (watchStarted[0] != null
              && e.stateName().equals("CheckPostDeployAlarms")
              && !w.clock.instant().isBefore(watchStarted[0].plus(Duration.ofMinutes(5)))) {
            w.interrupter = x -> {};
            w.cloudWatch.setAlarmState(
                SandboxWorld.PROD_ALARM, StateValue.ALARM, "Threshold Crossed: 5xx 3.1% > 1%");
            c.note(SandboxWorld.PROD_ALARM + " breaches 5 minutes into the post-deploy watch");
          }
        };
    c.candidateUploaded(COMMIT_B);
  }
}
