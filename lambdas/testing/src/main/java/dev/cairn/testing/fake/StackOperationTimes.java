package dev.cairn.testing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long {@link FakeCloudFormationClient}'s operations take on the clock: the one place that
 * models CloudFormation's own time, so a pipeline's overhead over CloudFormation can be measured
 * against something that behaves like the service.
 *
 * <p>What CloudFormation documents ("Understand stack deployment time", User Guide): resources that
 * do not depend on each other (through {@code Ref}, {@code Fn::GetAtt}, {@code DependsOn}) are
 * provisioned in parallel, each once it is ready to serve traffic, so "the longest chain of
 * resources that depend on each other sets the minimum time for a stack operation". The model is
 * that: an operation takes the longest dependency chain of the resources it touches, each taking
 * its type's typical time for the action ({@link #TYPICAL}). The typical times are what
 * CloudFormation takes in practice for each type, rounded: CloudFormation publishes no per-type
 * figure, and these are tens of seconds for stateful resources (a DynamoDB table until it is
 * ACTIVE), seconds for a function or a permission, a minute for an SQS queue, minutes for a
 * distribution or a database, and a nested stack its own chain plus its bookkeeping.
 *
 * <p>Each resource's time is varied by a factor in [0.8, 1.25] derived from a hash of the stack,
 * the logical ID and the template: varied like the service, yet the same for the same template, so
 * runs are reproducible.
 *
 * <p>{@link #stepPerDescribe()} keeps the fake's older progress model (one status step per Describe
 * call, nothing timed) for unit tests on a fixed clock.
 */
public final class StackOperationTimes {

  /** Typical seconds for a resource type to be created, updated in place, and deleted. */
  public record Typical(int create, int update, int delete) {}

  /**
   * Per type; {@link #DEFAULT} for the rest. Rounded from what these types take when CloudFormation
   * deploys them (the stack events of ordinary CDK deploys), not from a service guarantee.
   */
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

  /** For a type not in {@link #TYPICAL}. */
  public static final Typical DEFAULT = new Typical(10, 10, 5);

  /** What a nested stack adds to its own chain: its create/update and completion bookkeeping. */
  static final Duration NESTED_STACK_BOOKKEEPING = Duration.ofSeconds(10);

  /**
   * A change set's creation: CloudFormation reads the template and compares it with the stack, in
   * seconds for small templates and longer for large ones. Modelled as 3 s plus 0.2 s per resource.
   */
  static final Duration CHANGE_SET_BASE = Duration.ofSeconds(3);

  static final Duration CHANGE_SET_PER_RESOURCE = Duration.ofMillis(200);

  /**
   * From an operation's start to its first status change ({@code CREATE_PENDING} to {@code
   * CREATE_IN_PROGRESS}).
   */
  static final Duration FIRST_STEP = Duration.ofSeconds(1);

  /** The shortest cleanup phase (update or rollback cleanup with nothing to delete). */
  static final Duration MIN_CLEANUP = Duration.ofSeconds(1);

  private static final StackOperationTimes STEP_PER_DESCRIBE = new StackOperationTimes(false);
  private static final StackOperationTimes MODELLED = new StackOperationTimes(true);

  private final boolean timed;

  private StackOperationTimes(boolean timed) {
    this.timed = timed;
  }

  /** The fake's default: one status step per Describe call, nothing depends on the clock. */
  public static StackOperationTimes stepPerDescribe() {
    return STEP_PER_DESCRIBE;
  }

  /** Operations take the modelled time on the clock (the sandbox's setting). */
  public static StackOperationTimes modelled() {
    return MODELLED;
  }

  public boolean timed() {
    return timed;
  }

  /** What a resource operation is, for its typical time. */
  enum Action {
    CREATE,
    UPDATE,
    DELETE
  }

  /** How long creating a change set for {@code resources} takes. */
  static Duration changeSet(String stackName, String templateBody, int resources) {
    Duration base = CHANGE_SET_BASE.plus(CHANGE_SET_PER_RESOURCE.multipliedBy(resources));
    return vary(base, stackName, "(change set)", templateBody);
  }

  /** One resource's time for {@code action}, varied. */
  static Duration resource(
      String stackName, String logicalId, String type, Action action, String templateBody) {
    Typical t = TYPICAL.getOrDefault(type, DEFAULT);
    int seconds =
        switch (action) {
          case CREATE -> t.create();
          case UPDATE -> t.update();
          case DELETE -> t.delete();
        };
    return vary(Duration.ofSeconds(seconds), stackName, logicalId, templateBody);
  }

  /**
   * The longest dependency chain among {@code resources} (logical ID to template node), counting
   * each touched resource's time ({@code time}; absent: untouched, zero).
   */
  static Duration longestChain(Map<String, JsonNode> resources, Map<String, Duration> time) {
    Map<String, Duration> finish = new HashMap<>();
    for (String id : FakeCloudFormationClient.creationOrder(resources)) {
      Duration start = Duration.ZERO;
      for (String dep : FakeCloudFormationClient.dependencies(resources, id)) {
        Duration f = finish.getOrDefault(dep, Duration.ZERO);
        if (f.compareTo(start) > 0) {
          start = f;
        }
      }
      finish.put(id, start.plus(time.getOrDefault(id, Duration.ZERO)));
    }
    return finish.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  /** The longest of {@code times}, at least {@link #MIN_CLEANUP}: deletions run in parallel. */
  static Duration parallel(List<Duration> times) {
    Duration longest = MIN_CLEANUP;
    for (Duration d : times) {
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  /** {@code base} times a factor in [0.8, 1.25] fixed by the inputs; whole milliseconds. */
  static Duration vary(Duration base, String stackName, String logicalId, String templateBody) {
    byte[] h;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(stackName.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(logicalId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(templateBody.getBytes(StandardCharsets.UTF_8));
      h = sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    int u = ((h[0] & 0xff) << 8) | (h[1] & 0xff); // 0..65535
    double factor = 0.8 + 0.45 * (u / 65535.0);
    return Duration.ofMillis(Math.round(base.toMillis() * factor));
  }
}
