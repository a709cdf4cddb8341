package dev.cairn.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long CloudFormation typically takes, per resource type and action: what the deployer expects
 * when it schedules its next poll, and the base of the sandbox's CloudFormation emulator ({@code
 * StackOperationTimes}, which varies each resource's time around it).
 *
 * <p>What CloudFormation documents ("Understand stack deployment time", User Guide): resources that
 * do not depend on each other (through {@code Ref}, {@code Fn::GetAtt}, {@code DependsOn}) are
 * provisioned in parallel, each once it is ready to serve traffic, so "the longest chain of
 * resources that depend on each other sets the minimum time for a stack operation". CloudFormation
 * publishes no per-type figure; the {@link #TYPICAL} times are rounded from what these types take
 * in ordinary CDK deploys: tens of seconds for stateful resources (a DynamoDB table until it is
 * ACTIVE, IAM until it propagates), seconds for a function or a permission, a minute for an SQS
 * queue, minutes for a distribution or a database. They are expectations, not guarantees: the
 * deployer polls again, backing off, when an operation takes longer.
 */
public final class CloudFormationTimes {

  private CloudFormationTimes() {}

  /** Typical seconds for a resource type to be created, updated in place, and deleted. */
  public record Typical(int create, int update, int delete) {}

  /** What a resource operation is. */
  public enum Action {
    CREATE,
    UPDATE,
    DELETE
  }

  /** Per type; {@link #DEFAULT} for the rest. */
  public static final Map<String, Typical> TYPICAL =
      Map.ofEntries(
          Map.entry("AWS::CDK::Metadata", new Typical(1, 1, 1)),
          Map.entry("AWS::CloudFormation::WaitConditionHandle", new Typical(1, 1, 1)),
          Map.entry("AWS::SSM::Parameter", new Typical(2, 2, 2)),
          Map.entry("AWS::Logs::LogGroup", new Typical(2, 2, 2)),
          Map.entry("AWS::CloudWatch::Alarm", new Typical(2, 2, 2)),
          Map.entry("AWS::Lambda::Permission", new Typical(2, 2, 2)),
          Map.entry("AWS::Lambda::Version", new Typical(4, 4, 2)),
          Map.entry("AWS::Lambda::Alias", new Typical(3, 3, 2)),
          Map.entry("AWS::Lambda::Function", new Typical(8, 6, 4)),
          Map.entry("AWS::Lambda::EventSourceMapping", new Typical(60, 30, 30)),
          Map.entry("AWS::IAM::Role", new Typical(15, 8, 5)),
          Map.entry("AWS::IAM::Policy", new Typical(15, 15, 5)),
          Map.entry("AWS::IAM::ManagedPolicy", new Typical(10, 10, 5)),
          Map.entry("AWS::S3::Bucket", new Typical(20, 5, 5)),
          Map.entry("AWS::S3::BucketPolicy", new Typical(3, 3, 2)),
          Map.entry("AWS::DynamoDB::Table", new Typical(30, 20, 15)),
          Map.entry("AWS::DynamoDB::GlobalTable", new Typical(180, 60, 120)),
          Map.entry("AWS::SQS::Queue", new Typical(60, 60, 60)),
          Map.entry("AWS::SQS::QueuePolicy", new Typical(10, 10, 5)),
          Map.entry("AWS::SNS::Topic", new Typical(10, 5, 5)),
          Map.entry("AWS::SNS::Subscription", new Typical(5, 5, 5)),
          Map.entry("AWS::Events::Rule", new Typical(10, 10, 5)),
          Map.entry("AWS::Events::EventBus", new Typical(3, 3, 3)),
          Map.entry("AWS::KMS::Key", new Typical(20, 5, 5)),
          Map.entry("AWS::StepFunctions::StateMachine", new Typical(5, 5, 5)),
          Map.entry("AWS::ApiGateway::RestApi", new Typical(5, 5, 5)),
          Map.entry("AWS::ApiGateway::Deployment", new Typical(5, 5, 5)),
          Map.entry("AWS::ApiGateway::Stage", new Typical(10, 10, 5)),
          Map.entry("AWS::ECR::Repository", new Typical(3, 3, 3)),
          Map.entry("AWS::ECS::Service", new Typical(180, 180, 120)),
          Map.entry("AWS::EC2::NatGateway", new Typical(120, 5, 60)),
          Map.entry("AWS::CloudFront::Distribution", new Typical(300, 300, 300)),
          Map.entry("AWS::RDS::DBInstance", new Typical(600, 300, 300)));

  /**
   * How far one resource's time strays from its typical time in the sandbox's emulator: from {@link
   * #SPREAD_LOW} to {@link #SPREAD_HIGH} times it. The deployer expects the typical time and backs
   * off when an operation is later ({@code PollSchedule}).
   */
  public static final double SPREAD_LOW = 0.8;

  public static final double SPREAD_HIGH = 1.25;

  /** For a type not in {@link #TYPICAL}. */
  public static final Typical DEFAULT = new Typical(10, 10, 5);

  /** What a nested stack adds to its own chain: its create/update and completion bookkeeping. */
  public static final Duration NESTED_STACK_BOOKKEEPING = Duration.ofSeconds(10);

  /**
   * A change set's creation: CloudFormation reads the template and compares it with the stack, in
   * seconds for a small template and longer for a large one: 3 s plus 0.2 s per resource.
   */
  public static Duration changeSet(int resources) {
    return Duration.ofSeconds(3).plus(Duration.ofMillis(200L * resources));
  }

  /** A resource type's typical time for {@code action}. */
  public static Duration typical(String type, Action action) {
    Typical t = TYPICAL.getOrDefault(type, DEFAULT);
    return Duration.ofSeconds(
        switch (action) {
          case CREATE -> t.create();
          case UPDATE -> t.update();
          case DELETE -> t.delete();
        });
  }

  /**
   * The expected time of executing {@code changes} on {@code template} (its {@code Resources}): the
   * longest dependency chain of the resources added, replaced or updated, each at its type's
   * typical time; a nested stack counts {@link #NESTED_STACK_BOOKKEEPING} (its children are not in
   * this template). At least one second.
   */
  public static Duration execution(JsonNode template, List<ResourceChange> changes) {
    JsonNode resources = template.path("Resources");
    Map<String, Duration> own = new HashMap<>();
    for (ResourceChange c : changes) {
      Action action =
          switch (c.action()) {
            case "Add" -> Action.CREATE;
            case "Modify", "Dynamic" ->
                "True".equals(c.replacement()) ? Action.CREATE : Action.UPDATE;
            default -> null;
          };
      if (action == null) {
        continue;
      }
      own.put(
          c.logicalResourceId(),
          "AWS::CloudFormation::Stack".equals(c.resourceType())
              ? NESTED_STACK_BOOKKEEPING
              : typical(c.resourceType(), action));
    }
    Map<String, Duration> finish = new HashMap<>();
    Duration longest = Duration.ofSeconds(1);
    for (Iterator<String> it = resources.fieldNames(); it.hasNext(); ) {
      Duration f = finish(it.next(), resources, own, finish, new TreeSet<>());
      if (f.compareTo(longest) > 0) {
        longest = f;
      }
    }
    return longest;
  }

  private static Duration finish(
      String id,
      JsonNode resources,
      Map<String, Duration> own,
      Map<String, Duration> finish,
      Set<String> visiting) {
    Duration known = finish.get(id);
    if (known != null) {
      return known;
    }
    if (!visiting.add(id)) {
      return Duration.ZERO; // a cycle: CloudFormation refuses the template before this matters
    }
    Duration start = Duration.ZERO;
    for (String dep : dependencies(resources, id)) {
      Duration f = finish(dep, resources, own, finish, visiting);
      if (f.compareTo(start) > 0) {
        start = f;
      }
    }
    Duration f = start.plus(own.getOrDefault(id, Duration.ZERO));
    finish.put(id, f);
    return f;
  }

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}.!]+)[^}]*\\}");

  /**
   * The resources {@code id} depends on: {@code DependsOn}, {@code Ref}, {@code Fn::GetAtt}, {@code
   * Fn::Sub}.
   */
  static Set<String> dependencies(JsonNode resources, String id) {
    JsonNode resource = resources.path(id);
    Set<String> out = new TreeSet<>();
    JsonNode dependsOn = resource.path("DependsOn");
    if (dependsOn.isTextual()) {
      out.add(dependsOn.asText());
    }
    dependsOn.forEach(n -> out.add(n.asText()));
    references(resource.path("Properties"), out);
    out.removeIf(d -> !resources.has(d) || d.equals(id));
    return out;
  }

  private static void references(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      if (node.size() == 1 && node.has("Ref") && node.get("Ref").isTextual()) {
        out.add(node.get("Ref").asText());
        return;
      }
      JsonNode getAtt = node.get("Fn::GetAtt");
      if (node.size() == 1 && getAtt != null) {
        if (getAtt.isArray() && getAtt.size() > 0) {
          out.add(getAtt.get(0).asText());
        } else if (getAtt.isTextual()) {
          out.add(getAtt.asText().split("\\.", 2)[0]);
        }
        return;
      }
      JsonNode sub = node.get("Fn::Sub");
      if (node.size() == 1 && sub != null) {
        JsonNode text = sub.isArray() && sub.size() > 0 ? sub.get(0) : sub;
        if (text.isTextual()) {
          Matcher m = SUB_VARIABLE.matcher(text.asText());
          while (m.find()) {
            out.add(m.group(1));
          }
        }
        if (sub.isArray() && sub.size() > 1) {
          references(sub.get(1), out);
        }
        return;
      }
      node.forEach(child -> references(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> references(child, out));
    }
  }
}
