package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.metrics.AlarmState;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * One attack on the control plane, as a scenario plays it: the attacker's principal, prod as it was
 * before, and how the attack ended. Whether prod changed is read from the emulated prod account
 * (every stack's template and parameters, before and after), never from the ledger, which is what
 * an attacker would forge.
 *
 * <p>An attack ends exactly once, as {@link #refused}, {@link #refusedByIam} or {@link #detected};
 * each checks that its evidence exists and that prod is as it was, and fails the scenario
 * otherwise. The run's summary carries {@code attack: {outcome, code, stopped_by, prod_changed}}.
 */
final class Attack {

  /** IAM's refusal code, as AWS answers it. */
  static final String ACCESS_DENIED = "AccessDenied";

  private final SandboxWorld world;
  private final String what;
  private final Map<String, String> prodBefore;
  private Attacker ci;

  Attack(SandboxWorld world, String what) {
    this.world = Objects.requireNonNull(world, "world");
    this.what = Objects.requireNonNull(what, "what");
    this.prodBefore = prodStacks(world);
    world.notes.accept("ATTACK: " + what);
  }

  /** The CI role in the attacker's hands (created on first use: it starts the IAM evaluator). */
  Attacker ci() {
    if (ci == null) {
      ci = Attacker.ci(world);
    }
    return ci;
  }

  /**
   * {@code roleArn} in the attacker's hands, instead of the CI role (an attack has one attacker):
   * its calls are decided by IAM first and its refusals are listed in the summary.
   */
  Attacker as(String roleArn) {
    if (ci == null) {
      ci = Attacker.as(world, roleArn);
    } else if (!ci.roleArn().equals(roleArn)) {
      throw new IllegalStateException("the attacker already holds " + ci.roleArn());
    }
    return ci;
  }

  /**
   * The control plane refused the attack with {@code code}: an audit entry carries the code.
   *
   * @param stoppedBy what stopped it, in a reader's words (the control and where it sits)
   */
  void refused(String code, String stoppedBy) {
    if (!inAudit(code)) {
      throw new IllegalStateException(
          "the attack was to be refused with " + code + ", but no audit entry records " + code);
    }
    end("refused", code, stoppedBy);
  }

  /** IAM refused the attacker's calls (each refusal is listed in the summary). */
  void refusedByIam(String stoppedBy) {
    if (ci == null || ci.denials().isEmpty()) {
      throw new IllegalStateException(
          "the attack was to be refused by IAM, but IAM denied nothing");
    }
    end("refused", ACCESS_DENIED, stoppedBy);
  }

  /**
   * The attack could not be prevented but was detected: {@code code} is in the audit log, in an
   * alert on a topic, or is the name of an alarm now in ALARM.
   */
  void detected(String code, String stoppedBy) {
    boolean alarm =
        RunChecks.alarmStates(world).stream()
            .anyMatch(s -> s.alarmName().equals(code) && s.state().equals(AlarmState.ALARM));
    boolean alert = world.sns.published().stream().anyMatch(p -> p.message().contains(code));
    if (!alarm && !alert && !inAudit(code)) {
      throw new IllegalStateException(
          "the attack was to be detected as "
              + code
              + ", but no alarm, alert or audit entry shows "
              + code);
    }
    end("detected", code, stoppedBy);
  }

  private void end(String outcome, String code, String stoppedBy) {
    if (world.attack != null) {
      throw new IllegalStateException("the attack has already ended: " + world.attack);
    }
    Map<String, String> after = prodStacks(world);
    boolean changed = !after.equals(prodBefore);
    ObjectNode o = Json.object();
    o.put("description", what);
    o.put("outcome", outcome);
    o.put("code", code);
    o.put("stopped_by", stoppedBy);
    o.put("prod_changed", changed);
    if (ci != null) {
      ci.denials().forEach(d -> o.withArray("denied_calls").add(d.toString()));
    }
    world.attack = o;
    if (changed) {
      throw new IllegalStateException(
          "the attack changed prod: stacks before "
              + prodBefore.keySet()
              + ", after "
              + after.keySet()
              + " (templates or parameters differ)");
    }
  }

  private boolean inAudit(String code) {
    for (Iterator<ObjectNode> it = world.auditLog.entries(); it.hasNext(); ) {
      if (it.next().toString().contains(code)) {
        return true;
      }
    }
    return false;
  }

  /** Every prod stack: name → its template body and parameters, as CloudFormation returns them. */
  private static Map<String, String> prodStacks(SandboxWorld world) {
    CloudFormationClient prod = world.cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
    Map<String, String> out = new LinkedHashMap<>();
    for (Stack s : prod.describeStacks().stacks()) {
      String template = prod.getTemplate(r -> r.stackName(s.stackName())).templateBody();
      out.put(s.stackName(), template + "\n" + s.parameters());
    }
    return out;
  }
}
