package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.deploy.CloudFormationTimes;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Pins {@link StackOperationTimes}: operations take the modelled time on the clock, a function of
 * the template (types, dependency chains), the same for the same template.
 */
@ExtendWith(S3LocalExtension.class)
class CloudFormationEmulatorTimingTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static final String FUNCTION =
      """
      {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "java17"}}}}
      """;
  private static final String TABLE =
      """
      {"Resources": {"Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}}}
      """;
  // A bucket, then the function that names it: a chain; the table beside them runs in parallel.
  private static final String CHAIN =
      """
      {"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {"B": {"Ref": "Bucket"}}}}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "PAY_PER_REQUEST"}}
      }}
      """;

  private final S3Client s3;

  CloudFormationEmulatorTimingTest(S3Client s3) {
    this.s3 = s3;
  }

  @Test
  void createStack_takesItsTypesTime_tableTensOfSeconds_functionSeconds() {
    Duration table = createTime("Orders", TABLE);
    Duration function = createTime("Api", FUNCTION);
    assertThat(table).isBetween(Duration.ofSeconds(24), Duration.ofSeconds(38));
    assertThat(function).isBetween(Duration.ofMillis(6400), Duration.ofSeconds(10));
  }

  @Test
  void createStack_takesTheLongestDependencyChain_notTheSum() {
    Duration chain = createTime("Chain", CHAIN);
    Duration bucketThenFunction =
        StackOperationTimes.resource(
                "Chain", "Bucket", "AWS::S3::Bucket", CloudFormationTimes.Action.CREATE, CHAIN)
            .plus(
                StackOperationTimes.resource(
                    "Chain",
                    "Fn",
                    "AWS::Lambda::Function",
                    CloudFormationTimes.Action.CREATE,
                    CHAIN));
    Duration table =
        StackOperationTimes.resource(
            "Chain", "Table", "AWS::DynamoDB::Table", CloudFormationTimes.Action.CREATE, CHAIN);
    assertThat(chain)
        .isEqualTo(bucketThenFunction.compareTo(table) > 0 ? bucketThenFunction : table);
  }

  @Test
  void sameTemplate_sameTimes_otherTemplate_otherTimes() {
    assertThat(createTime("Orders", TABLE)).isEqualTo(createTime("Orders", TABLE));
    assertThat(createTime("Orders", TABLE)).isNotEqualTo(createTime("Orders", TABLE + " "));
  }

  @Test
  void changeSet_staysInProgressUntilItsTime_thenIsComplete() {
    MutableClock clock = new MutableClock(T0);
    CloudFormationEmulator cfn = timed(clock);
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("Orders")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateBody(TABLE))
            .id();
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).status())
        .isEqualTo(ChangeSetStatus.CREATE_PENDING);
    clock.now = T0.plusSeconds(2);
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).status())
        .isEqualTo(ChangeSetStatus.CREATE_IN_PROGRESS);
    CloudFormationEmulator.Operation op = cfn.operations().get(0);
    assertThat(op.kind()).isEqualTo("CreateChangeSet");
    assertThat(Duration.between(op.start(), op.end()))
        .isBetween(Duration.ofMillis(2560), Duration.ofSeconds(5));
    clock.now = op.end();
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).status())
        .isEqualTo(ChangeSetStatus.CREATE_COMPLETE);
  }

  @Test
  void update_passesThroughCleanup_andEndsAtTheRecordedTime() {
    MutableClock clock = new MutableClock(T0);
    CloudFormationEmulator cfn = timed(clock);
    deploy(cfn, clock, "Orders", TABLE, ChangeSetType.CREATE);
    String updated = TABLE.replace("PAY_PER_REQUEST", "PROVISIONED");
    List<StackStatus> seen = deploy(cfn, clock, "Orders", updated, ChangeSetType.UPDATE);
    assertThat(seen)
        .containsSubsequence(
            StackStatus.UPDATE_IN_PROGRESS,
            StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
            StackStatus.UPDATE_COMPLETE);
    CloudFormationEmulator.Operation update = cfn.operations().get(3);
    assertThat(update.kind()).isEqualTo("ExecuteChangeSet");
    // A table updated in place: its update time (20 s, varied) plus a 1 s cleanup.
    assertThat(Duration.between(update.start(), update.end()))
        .isBetween(Duration.ofSeconds(17), Duration.ofSeconds(27));
  }

  @Test
  void stepPerDescribe_isTheDefault_andRecordsNothing() {
    CloudFormationEmulator cfn =
        new CloudFormationEmulator(
            "111111111111", "eu-west-1", Clock.fixed(T0, ZoneOffset.UTC), s3);
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("Orders")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateBody(TABLE))
            .id();
    List<ChangeSetStatus> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(cfn.describeChangeSet(r -> r.changeSetName(id)).status());
    }
    assertThat(seen)
        .containsExactly(
            ChangeSetStatus.CREATE_PENDING,
            ChangeSetStatus.CREATE_IN_PROGRESS,
            ChangeSetStatus.CREATE_COMPLETE);
    assertThat(cfn.operations()).isEmpty();
  }

  private Duration createTime(String stack, String body) {
    MutableClock clock = new MutableClock(T0);
    CloudFormationEmulator cfn = timed(clock);
    deploy(cfn, clock, stack, body, ChangeSetType.CREATE);
    CloudFormationEmulator.Operation op = cfn.operations().get(1);
    assertThat(op.kind()).isEqualTo("ExecuteChangeSet");
    return Duration.between(op.start(), op.end());
  }

  /** Creates and executes a change set, stepping the clock a second at a time until done. */
  private static List<StackStatus> deploy(
      CloudFormationEmulator cfn,
      MutableClock clock,
      String stack,
      String body,
      ChangeSetType type) {
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName(stack)
                        .changeSetName("cs-" + type)
                        .changeSetType(type)
                        .templateBody(body))
            .id();
    while (cfn.describeChangeSet(r -> r.changeSetName(id)).status()
        != ChangeSetStatus.CREATE_COMPLETE) {
      clock.now = clock.now.plusSeconds(1);
    }
    cfn.executeChangeSet(r -> r.changeSetName(id));
    List<StackStatus> seen = new ArrayList<>();
    Instant started = clock.now;
    while (true) {
      StackStatus s = cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0).stackStatus();
      if (seen.isEmpty() || seen.get(seen.size() - 1) != s) {
        seen.add(s);
      }
      if (!s.toString().endsWith("_IN_PROGRESS")) {
        return seen;
      }
      assertThat(clock.now).isBefore(started.plus(Duration.ofHours(1)));
      clock.now = clock.now.plusSeconds(1);
    }
  }

  private CloudFormationEmulator timed(Clock clock) {
    CloudFormationEmulator cfn = new CloudFormationEmulator("111111111111", "eu-west-1", clock, s3);
    cfn.operationTimes(StackOperationTimes.modelled());
    return cfn;
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
