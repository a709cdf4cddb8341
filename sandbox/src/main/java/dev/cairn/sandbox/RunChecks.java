package dev.cairn.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import dev.cairn.sandbox.iam.AwsCallMapper;
import dev.cairn.sandbox.iam.IamCheck;
import dev.cairn.sandbox.iam.IamEvaluator;
import dev.cairn.sandbox.iam.IamPolicies;
import dev.cairn.sandbox.iam.RecordedCall;
import dev.cairn.sandbox.metrics.AlarmEvaluator;
import dev.cairn.sandbox.metrics.AlarmState;
import dev.cairn.sandbox.metrics.EmfDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run is checked against after its scenario: every recorded AWS call against the synthesized
 * IAM policies (an independent evaluator, plus the written negative controls), every synthesized
 * alarm against the EMF the production adapter wrote, and which rule started each execution. Each
 * section lands in the summary under its own name (`triggers`, `metrics`, `alarms`, `iam`).
 */
final class RunChecks {

  private RunChecks() {}

  /** {@code iam}: calls checked, denials with their deciding statement, negative controls. */
  static ObjectNode iam(SandboxWorld w, Path repoRoot) {
    ObjectNode out = Json.object();
    Optional<IamEvaluator> evaluator =
        dev.cairn.sandbox.iam.IamCheckInstall.locate(
            repoRoot, w.clock, IamEvaluator.DEFAULT_TIMEOUT, w.notes);
    if (evaluator.isEmpty()) {
      out.put("evaluator", "unavailable");
      out.put(
          "reason",
          "no installed sandbox/iam-check under "
              + repoRoot
              + ", and the bundled evaluator could not be installed (node and npm must be on"
              + " PATH)");
      return out;
    }
    AwsCallMapper mapper = new AwsCallMapper();
    List<RecordedCall> recorded = new ArrayList<>();
    for (CallLog.Call c : w.calls.calls()) {
      recorded.addAll(mapper.map(c, SandboxWorld.REGION, c.principalArn().split(":")[4]));
    }
    recorded.addAll(w.calls.iamCalls());
    IamCheck.Result r =
        new IamCheck(
                new IamPolicies(w.assembly)
                    .withKeyPolicies(w.keyPolicies.policies())
                    .withBucketAccounts(w.userBuckets.accounts()),
                evaluator.get())
            .check(recorded, IamCheck.NegativeControl.loadDefaults());
    out.put("calls_checked", r.callsChecked());
    ArrayNode denied = out.putArray("denied");
    r.denied().forEach(d -> denied.add(denial(d)));
    ObjectNode negative = out.putObject("negative_controls");
    negative.put("checked", r.negativeChecked());
    ArrayNode mistakes = negative.putArray("allowed_by_mistake");
    r.allowedByMistake().forEach(d -> mistakes.add(denial(d)));
    return out;
  }

  private static ObjectNode denial(IamCheck.Denial d) {
    ObjectNode o = Json.object();
    o.put("principal", d.principal());
    o.put("action", d.action());
    o.put("resource", d.resource());
    o.put("statement", d.statement());
    return o;
  }

  /** {@code alarms}: each synthesized alarm's name and its state at the end of the run. */
  static ArrayNode alarms(SandboxWorld w) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (AlarmState s : alarmStates(w)) {
      ObjectNode o = out.addObject();
      o.put("name", s.alarmName());
      o.put("state", s.state());
      o.put("reason", s.reason());
    }
    return out;
  }

  static List<AlarmState> alarmStates(SandboxWorld w) {
    List<AlarmState> states = new ArrayList<>();
    List<EmfDocument> documents = w.emf.documents();
    for (ControlPlaneAssembly.Resource a : w.assembly.resources("AWS::CloudWatch::Alarm")) {
      String name =
          a.properties().has("AlarmName")
              ? a.properties().path("AlarmName").asText()
              : a.physicalId();
      states.add(AlarmEvaluator.evaluate(name, a.properties(), documents, w.clock.instant()));
    }
    return states;
  }

  /** {@code metrics}: the EMF documents emitted, one record per metric value. */
  static ArrayNode metrics(SandboxWorld w) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (EmfDocument d : w.emf.documents()) {
      ObjectNode o = out.addObject();
      o.put("namespace", d.namespace());
      o.put("metric", d.metric());
      ObjectNode dims = o.putObject("dimensions");
      new java.util.TreeMap<>(d.dimensions()).forEach(dims::put);
      o.put("value", d.value());
    }
    return out;
  }

  /** {@code triggers}: for each execution, the rule (logical id) and the event that started it. */
  static ArrayNode triggers(SandboxWorld w) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (SandboxWorld.Execution e : w.executions) {
      ObjectNode o = out.addObject();
      o.put("execution", e.name());
      SandboxWorld.Trigger t = w.triggers.get(e.name());
      if (t == null) {
        o.put("rule", (String) null);
        o.put("started_by", "StartExecution");
      } else {
        o.put("rule", t.rule());
        o.set("event", t.event());
      }
    }
    return out;
  }

  static Map<String, Long> countByState(List<AlarmState> states) {
    Map<String, Long> m = new java.util.TreeMap<>();
    states.forEach(s -> m.merge(s.state(), 1L, Long::sum));
    return m;
  }
}
