package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The stack properties {@code cdk deploy} sets besides the template, as the CloudFormation API
 * reference describes them: {@code NotificationARNs} of CreateChangeSet (kept by the stack when the
 * change set is executed, listed by DescribeStacks), and {@code UpdateTerminationProtection}
 * ({@code EnableTerminationProtection} in DescribeStacks; DeleteStack refused while it is on).
 */
@ExtendWith(S3LocalExtension.class)
class CloudFormationEmulatorStackPropertiesTest {

  private static final String TOPIC = "arn:aws:sns:eu-west-1:111111111111:stack-events";
  private static final String TEMPLATE =
      "{\"Resources\":{\"Queue\":{\"Type\":\"AWS::SQS::Queue\",\"Properties\":{}}}}";

  private final S3Client s3;
  private final LocalBuckets buckets;
  private CloudFormationEmulator cfn;

  CloudFormationEmulatorStackPropertiesTest(S3Client s3, LocalBuckets buckets) {
    this.s3 = s3;
    this.buckets = buckets;
  }

  @BeforeEach
  void setUp() {
    cfn =
        new CloudFormationEmulator(
            "111111111111",
            "eu-west-1",
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC),
            s3);
  }

  private void deploy(String stack) {
    String key = "svc/" + UUID.randomUUID() + "/App.template.json";
    s3.putObject(r -> r.bucket(buckets.candidate()).key(key), RequestBody.fromString(TEMPLATE));
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName(stack)
                        .changeSetName("cs-1")
                        .changeSetType(ChangeSetType.CREATE)
                        .notificationARNs(TOPIC)
                        .templateURL(
                            "https://s3.eu-west-1.amazonaws.com/"
                                + buckets.candidate()
                                + "/"
                                + key))
            .id();
    for (int i = 0;
        i < 10
            && cfn.describeChangeSet(r -> r.changeSetName(id)).status()
                != ChangeSetStatus.CREATE_COMPLETE;
        i++) {}
    cfn.executeChangeSet(r -> r.changeSetName(id));
    for (int i = 0;
        i < 10 && describe(stack).stackStatusAsString().endsWith("_IN_PROGRESS");
        i++) {}
  }

  private Stack describe(String stack) {
    return cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0);
  }

  @Test
  void notificationArns_ofTheExecutedChangeSet_areTheStacks() {
    deploy("app");

    assertThat(describe("app").notificationARNs()).containsExactly(TOPIC);
  }

  @Test
  void updateTerminationProtection_isShownByDescribeStacks_andRefusesDeleteStack() {
    deploy("app");
    assertThat(describe("app").enableTerminationProtection()).isFalse();

    var response =
        cfn.updateTerminationProtection(r -> r.stackName("app").enableTerminationProtection(true));

    assertThat(response.stackId()).isEqualTo(describe("app").stackId());
    assertThat(describe("app").enableTerminationProtection()).isTrue();
    assertThatThrownBy(() -> cfn.deleteStack(r -> r.stackName("app")))
        .isExactlyInstanceOf(CloudFormationException.class)
        .hasMessageContaining("cannot be deleted while TerminationProtection is enabled");
    assertThat(describe("app").stackStatusAsString()).isEqualTo("CREATE_COMPLETE");

    cfn.updateTerminationProtection(r -> r.stackName("app").enableTerminationProtection(false));
    cfn.deleteStack(r -> r.stackName("app"));
  }

  @Test
  void updateTerminationProtection_ofAMissingStack_isAValidationError() {
    assertThatThrownBy(
            () ->
                cfn.updateTerminationProtection(
                    r -> r.stackName("nope").enableTerminationProtection(true)))
        .isExactlyInstanceOf(CloudFormationException.class)
        .hasMessageContaining("does not exist");
  }
}
