package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.testsupport.S3LocalExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Export;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the emulator does across stacks: nested stacks, exports and imports, template size limits,
 * capabilities and container images. Each behaviour cites the CloudFormation reference it follows.
 */
@ExtendWith(S3LocalExtension.class)
class CloudFormationEmulatorAcrossStacksTest {

  private static final String ACCOUNT = "111111111111";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
  private static final List<Capability> CDK_CAPABILITIES =
      List.of(
          Capability.CAPABILITY_IAM,
          Capability.CAPABILITY_NAMED_IAM,
          Capability.CAPABILITY_AUTO_EXPAND);

  private final S3Client s3;
  private final LocalBuckets buckets;
  private CloudFormationEmulator cfn;
  private final List<String> operations = new ArrayList<>();
  private final List<String> fetches = new ArrayList<>();
  private final List<JsonNode> reported = new ArrayList<>();

  CloudFormationEmulatorAcrossStacksTest(S3Client s3, LocalBuckets buckets) {
    this.s3 = s3;
    this.buckets = buckets;
  }

  @BeforeEach
  void setUp() {
    cfn = new CloudFormationEmulator(ACCOUNT, "eu-west-1", CLOCK, s3);
    cfn.onTemplateFetch((account, bucket, key) -> fetches.add(key));
    cfn.onResourceOperation(
        (account, region, role, stack, logicalId, type, operation, physicalId, properties) -> {
          operations.add(operation + " " + stack + "/" + logicalId);
          reported.add(properties);
        });
  }

  private String key(String body) {
    String key = "assets/" + UUID.randomUUID() + ".json";
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(r -> r.bucket(buckets.candidate()).key(key), RequestBody.fromString(body));
        return key;
      } catch (java.io.UncheckedIOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private String url(String body) {
    return "https://s3.eu-west-1.amazonaws.com/" + buckets.candidate() + "/" + key(body);
  }

  /** The TemplateURL CDK writes for a nested stack's template asset. */
  private String nestedUrl(String body) {
    return """
        {"Fn::Join": ["", ["https://s3.eu-west-1.", {"Ref": "AWS::URLSuffix"}, "/%s/%s"]]}"""
        .formatted(buckets.candidate(), key(body));
  }

  /** Creates {@code stack} from {@code body} through a change set and polls it to its end. */
  private StackStatus deploy(String stack, ChangeSetType type, String body, List<Capability> caps) {
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName(stack)
                        .changeSetName("cs-" + UUID.randomUUID().toString().substring(0, 8))
                        .changeSetType(type)
                        .capabilities(caps)
                        .templateURL(url(body)))
            .id();
    ChangeSetStatus cs;
    do {
      cs = cfn.describeChangeSet(r -> r.changeSetName(id)).status();
    } while (cs != ChangeSetStatus.CREATE_COMPLETE && cs != ChangeSetStatus.FAILED);
    assertThat(cs).isEqualTo(ChangeSetStatus.CREATE_COMPLETE);
    cfn.executeChangeSet(r -> r.changeSetName(id));
    return settle(stack);
  }

  private StackStatus settle(String stack) {
    StackStatus s;
    do {
      s = describe(stack).stackStatus();
    } while (s.toString().endsWith("_IN_PROGRESS"));
    return s;
  }

  private Stack describe(String stack) {
    return cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0);
  }

  private static final String QUEUE =
      """
      {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}},
       "Outputs": {"QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}}}}""";

  // ---------------------------------------------------------------------------------------------
  // Nested stacks

  @Test
  void nestedStack_isCreatedWithItsParent_fromItsTemplateUrl_andItsOutputsAreReadable() {
    String parent =
        """
        {"Resources": {
           "Jobs": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s}},
           "Topic": {"Type": "AWS::SNS::Topic",
                     "Properties": {"TopicName": {"Fn::GetAtt": ["Jobs", "Outputs.QueueArn"]}}}},
         "Outputs": {"Nested": {"Value": {"Fn::GetAtt": ["Jobs", "Outputs.QueueArn"]}}}}"""
            .formatted(nestedUrl(QUEUE));

    assertThat(deploy("App", ChangeSetType.CREATE, parent, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);

    String nested = cfn.nestedStacks("App").get("Jobs");
    assertThat(nested).startsWith("App-Jobs-");
    Stack child = describe(nested);
    assertThat(child.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(child.parentId()).isEqualTo(describe("App").stackId());
    assertThat(child.rootId()).isEqualTo(describe("App").stackId());
    assertThat(cfn.deployedResources(nested)).containsEntry("Queue", "AWS::SQS::Queue");
    // The parent's template and the nested one are both fetched as the caller.
    assertThat(fetches).hasSize(2);
    assertThat(describe("App").outputs())
        .singleElement()
        .satisfies(
            o -> assertThat(o.outputValue()).isEqualTo("arn:aws:sqs:eu-west-1:111111111111:jobs"));
    // The nested stack's queue is created before the parent's topic, which reads its output.
    assertThat(operations)
        .containsExactly("CREATE App/Jobs", "CREATE " + nested + "/Queue", "CREATE App/Topic");
    assertThat(reported.get(2).path("TopicName").asText())
        .isEqualTo("arn:aws:sqs:eu-west-1:111111111111:jobs");
  }

  @Test
  void nestedStack_isDeletedWithItsParent_itsResourcesFirst() {
    String parent =
        """
        {"Resources": {"Jobs": {"Type": "AWS::CloudFormation::Stack",
                                "Properties": {"TemplateURL": %s}}}}"""
            .formatted(nestedUrl(QUEUE));
    deploy("App", ChangeSetType.CREATE, parent, List.of());
    String nested = cfn.nestedStacks("App").get("Jobs");
    operations.clear();

    cfn.deleteStack(r -> r.stackName("App"));

    assertThat(settle("App")).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(operations).containsExactly("DELETE " + nested + "/Queue", "DELETE App/Jobs");
    assertThat(cfn.stackStatus(nested)).isEmpty();
  }

  @Test
  void nestedStack_whoseTemplateChanged_isUpdated_andTheUnchangedOneIsNot() {
    String parent =
        """
        {"Resources": {"Jobs": {"Type": "AWS::CloudFormation::Stack",
                                "Properties": {"TemplateURL": %s}},
                       "Other": {"Type": "AWS::CloudFormation::Stack",
                                 "Properties": {"TemplateURL": %s}}}}""";
    String other = nestedUrl(QUEUE.replace("jobs", "other"));
    deploy("App", ChangeSetType.CREATE, parent.formatted(nestedUrl(QUEUE), other), List.of());
    operations.clear();

    String v2 =
        QUEUE.replace("\"QueueName\": \"jobs\"", "\"QueueName\": \"jobs\", \"DelaySeconds\": 5");
    assertThat(
            deploy("App", ChangeSetType.UPDATE, parent.formatted(nestedUrl(v2), other), List.of()))
        .isEqualTo(StackStatus.UPDATE_COMPLETE);

    String nested = cfn.nestedStacks("App").get("Jobs");
    assertThat(operations).containsExactly("UPDATE App/Jobs", "UPDATE " + nested + "/Queue");
    assertThat(describe(nested).stackStatus()).isEqualTo(StackStatus.UPDATE_COMPLETE);
    assertThat(describe(cfn.nestedStacks("App").get("Other")).stackStatus())
        .isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void nestedStack_withIamResources_needsTheParentsCapability_elseTheParentRollsBack() {
    String role =
        """
        {"Resources": {"Role": {"Type": "AWS::IAM::Role",
                                "Properties": {"AssumeRolePolicyDocument": {}}}}}""";
    String parent =
        """
        {"Resources": {"Roles": {"Type": "AWS::CloudFormation::Stack",
                                 "Properties": {"TemplateURL": %s}}}}"""
            .formatted(nestedUrl(role));

    // The parent holds no IAM resource, so its change set is created; the nested stack fails.
    assertThat(deploy("App", ChangeSetType.CREATE, parent, List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("App").stackStatusReason())
        .matches(
            "Embedded stack arn:aws:cloudformation:eu-west-1:111111111111:stack/App-Roles-[A-Z0-9]{12}/.*"
                + " was not successfully created: Requires capabilities : \\[CAPABILITY_IAM]");

    assertThat(deploy("App2", ChangeSetType.CREATE, parent, CDK_CAPABILITIES))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void macros_needNoCapabilityInAChangeSet_butANestedStacksMacroNeedsAutoExpand() {
    String withMacro =
        """
        {"Transform": "AWS::Serverless-2016-10-31",
         "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}""";
    // "This capacity doesn't apply to creating change sets, and specifying it when creating
    // change sets has no effect." (API reference, CreateChangeSet, CAPABILITY_AUTO_EXPAND)
    assertThat(deploy("Top", ChangeSetType.CREATE, withMacro, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);

    String parent =
        """
        {"Resources": {"App": {"Type": "AWS::CloudFormation::Stack",
                               "Properties": {"TemplateURL": %s}}}}"""
            .formatted(nestedUrl(withMacro));
    assertThat(deploy("Parent", ChangeSetType.CREATE, parent, List.of(Capability.CAPABILITY_IAM)))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("Parent").stackStatusReason())
        .endsWith("was not successfully created: Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
    assertThat(deploy("Parent2", ChangeSetType.CREATE, parent, CDK_CAPABILITIES))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void nestedStack_whoseTemplateCannotBeRead_failsItsParentsResource_andTheFetchIsReported() {
    String parent =
        """
        {"Resources": {"Jobs": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL":
           "https://s3.eu-west-1.amazonaws.com/%s/assets/missing.json"}}}}"""
            .formatted(buckets.candidate());

    assertThat(deploy("App", ChangeSetType.CREATE, parent, List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("App").stackStatusReason())
        .isEqualTo(CloudFormationEmulator.TEMPLATE_ACCESS_DENIED);
    assertThat(fetches).endsWith("assets/missing.json");
    assertThat(cfn.describeStacks().stacks()).extracting(Stack::stackName).containsExactly("App");
  }

  @Test
  void changeSetWithIncludeNestedStacks_isNotModelled() {
    assertThatThrownBy(
            () ->
                cfn.createChangeSet(
                    r ->
                        r.stackName("App")
                            .changeSetName("cs")
                            .changeSetType(ChangeSetType.CREATE)
                            .includeNestedStacks(true)
                            .templateURL(url(QUEUE))))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("IncludeNestedStacks");
  }

  // ---------------------------------------------------------------------------------------------
  // Exports and imports

  private static final String PRODUCER =
      """
      {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}},
       "Outputs": {"QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]},
                                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}:QueueArn"}}}}}""";
  private static final String CONSUMER =
      """
      {"Resources": {"Topic": {"Type": "AWS::SNS::Topic",
                               "Properties": {"DisplayName": {"Fn::ImportValue": "Producer:QueueArn"}}}}}""";

  @Test
  void importValue_resolvesAnotherStacksExport_andListExportsAndListImportsShowIt() {
    assertThat(deploy("Producer", ChangeSetType.CREATE, PRODUCER, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(deploy("Consumer", ChangeSetType.CREATE, CONSUMER, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);

    assertThat(reported.get(reported.size() - 1).path("DisplayName").asText())
        .isEqualTo("arn:aws:sqs:eu-west-1:111111111111:jobs");
    assertThat(cfn.listExports(r -> {}).exports())
        .extracting(Export::name, Export::value, Export::exportingStackId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Producer:QueueArn",
                "arn:aws:sqs:eu-west-1:111111111111:jobs",
                describe("Producer").stackId()));
    assertThat(cfn.listImports(r -> r.exportName("Producer:QueueArn")).imports())
        .containsExactly("Consumer");
    assertThat(describe("Producer").outputs().get(0).exportName()).isEqualTo("Producer:QueueArn");
  }

  @Test
  void importValue_ofAMissingExport_failsTheStack_asCloudFormationReportsIt() {
    assertThat(deploy("Consumer", ChangeSetType.CREATE, CONSUMER, List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("Consumer").stackStatusReason())
        .isEqualTo("No export named Producer:QueueArn found. Rollback requested by user.");
    assertThat(operations).isEmpty();
  }

  @Test
  void exportName_alreadyExportedByAnotherStack_failsTheStack() {
    deploy("Producer", ChangeSetType.CREATE, PRODUCER, List.of());
    String same =
        PRODUCER
            .replace("{\"Fn::Sub\": \"${AWS::StackName}:QueueArn\"}", "\"Producer:QueueArn\"")
            .replace("\"jobs\"", "\"jobs2\"");

    assertThat(deploy("Copy", ChangeSetType.CREATE, same, List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("Copy").stackStatusReason())
        .isEqualTo("Export with name Producer:QueueArn is already exported by stack Producer");
  }

  @Test
  void exportInUse_cannotBeDeleted_norChanged_untilItsImporterIsGone() {
    deploy("Producer", ChangeSetType.CREATE, PRODUCER, List.of());
    deploy("Consumer", ChangeSetType.CREATE, CONSUMER, List.of());
    operations.clear();

    cfn.deleteStack(r -> r.stackName("Producer"));
    assertThat(settle("Producer")).isEqualTo(StackStatus.DELETE_FAILED);
    assertThat(describe("Producer").stackStatusReason())
        .isEqualTo("Export Producer:QueueArn cannot be deleted as it is in use by Consumer");
    assertThat(operations).isEmpty();

    String withoutExport =
        """
        {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}}}""";
    // A DELETE_FAILED stack can only be deleted again; a fresh producer shows the update case.
    deploy("Producer2", ChangeSetType.CREATE, PRODUCER.replace("jobs", "jobs2"), List.of());
    deploy(
        "Consumer2", ChangeSetType.CREATE, CONSUMER.replace("Producer:", "Producer2:"), List.of());
    assertThat(deploy("Producer2", ChangeSetType.UPDATE, withoutExport, List.of()))
        .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(describe("Producer2").stackStatusReason())
        .isEqualTo("Export Producer2:QueueArn cannot be deleted as it is in use by Consumer2");
    assertThat(
            deploy("Producer2", ChangeSetType.UPDATE, PRODUCER.replace("jobs", "jobs3"), List.of()))
        .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(describe("Producer2").stackStatusReason())
        .isEqualTo("Cannot update export Producer2:QueueArn as it is in use by Consumer2");

    cfn.deleteStack(r -> r.stackName("Consumer"));
    settle("Consumer");
    cfn.deleteStack(r -> r.stackName("Producer"));
    assertThat(settle("Producer")).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cfn.listExports(r -> {}).exports())
        .extracting(Export::name)
        .containsExactly("Producer2:QueueArn");
    assertThatThrownBy(() -> cfn.listImports(r -> r.exportName("Producer:QueueArn")))
        .isInstanceOf(CloudFormationException.class)
        .hasMessageContaining("Export 'Producer:QueueArn' is not imported by any stack.");
  }

  @Test
  void nestedStacks_importEachOthersExports_inDependencyOrder_andAreDeletedTogether() {
    String keys =
        """
        {"Resources": {"Key": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "keys"}}},
         "Outputs": {"KeyArn": {"Value": {"Fn::GetAtt": ["Key", "Arn"]},
                                "Export": {"Name": "key-arn"}}}}""";
    String table =
        """
        {"Resources": {"Table": {"Type": "AWS::DynamoDB::Table",
                                 "Properties": {"SSESpecification": {"KMSMasterKeyId": {"Fn::ImportValue": "key-arn"}}}}}}""";
    // As CDK writes it: the importing nested stack is declared first, and DependsOn orders it.
    String parent =
        """
        {"Resources": {
           "Tables": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s},
                      "DependsOn": ["Keys"]},
           "Keys": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s}}}}"""
            .formatted(nestedUrl(table), nestedUrl(keys));

    assertThat(deploy("App", ChangeSetType.CREATE, parent, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    String tables = cfn.nestedStacks("App").get("Tables");
    assertThat(cfn.listImports(r -> r.exportName("key-arn")).imports()).containsExactly(tables);

    cfn.deleteStack(r -> r.stackName("App"));
    assertThat(settle("App")).isEqualTo(StackStatus.DELETE_COMPLETE);
    assertThat(cfn.listExports(r -> {}).exports()).isEmpty();
  }

  @Test
  void nestedStacksExport_importedElsewhere_survivesParentUpdates_butNotTheNestedStacksRemoval() {
    String withNested =
        """
        {"Resources": {
           "Jobs": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s}},
           "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "%s"}}}}""";
    String nested = nestedUrl(PRODUCER.replace("${AWS::StackName}:QueueArn", "Producer:QueueArn"));
    deploy("App", ChangeSetType.CREATE, withNested.formatted(nested, "v1"), List.of());
    deploy("Consumer", ChangeSetType.CREATE, CONSUMER, List.of());

    assertThat(deploy("App", ChangeSetType.UPDATE, withNested.formatted(nested, "v2"), List.of()))
        .isEqualTo(StackStatus.UPDATE_COMPLETE);

    String withoutNested =
        """
        {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "v2"}}}}""";
    assertThat(deploy("App", ChangeSetType.UPDATE, withoutNested, List.of()))
        .isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(describe("App").stackStatusReason())
        .isEqualTo("Export Producer:QueueArn cannot be deleted as it is in use by Consumer");
    assertThat(cfn.nestedStacks("App")).containsKey("Jobs");
  }

  @Test
  void nestedStack_importingAMissingExport_failsItsParent_andTheSiblingsItCreatedAreUndone() {
    String parent =
        """
        {"Resources": {
           "Jobs": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s}},
           "Topic": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": %s},
                     "DependsOn": "Jobs"}}}"""
            .formatted(
                nestedUrl(PRODUCER.replace("${AWS::StackName}:QueueArn", "jobs-arn")),
                nestedUrl(CONSUMER));

    assertThat(deploy("App", ChangeSetType.CREATE, parent, List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("App").stackStatusReason())
        .endsWith("was not successfully created: No export named Producer:QueueArn found");
    assertThat(cfn.listExports(r -> {}).exports()).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Template size

  @Test
  void templateBody_over51200Bytes_isRefused_butTheSameTemplateByUrlIsAccepted() {
    StringBuilder resources = new StringBuilder();
    for (int i = 0; i < 800; i++) {
      resources.append(i == 0 ? "" : ",");
      resources.append(
          "\"Queue%03d\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"DelaySeconds\": 1}}"
              .formatted(i));
    }
    String big = "{\"Resources\": {" + resources + "}}";
    assertThat(big.length()).isGreaterThan(51_200).isLessThan(1_000_000);

    // "TemplateBody: ... Maximum length of 51,200 bytes." (API reference, CreateChangeSet)
    assertThatThrownBy(
            () ->
                cfn.createChangeSet(
                    r ->
                        r.stackName("Big")
                            .changeSetName("cs")
                            .changeSetType(ChangeSetType.CREATE)
                            .templateBody(big)))
        .isInstanceOf(CloudFormationException.class)
        .hasMessageContaining("Member must have length less than or equal to 51200");
    assertThat(deploy("Big", ChangeSetType.CREATE, big, List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cfn.deployedResources("Big")).hasSize(800);
  }

  @Test
  void templateUrl_ofAnObjectOver1Mb_isRefused() {
    StringBuilder resources = new StringBuilder();
    for (int i = 0; i < 14_000; i++) {
      resources.append(i == 0 ? "" : ",");
      resources.append(
          "\"Queue%05d\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"DelaySeconds\": 1}}"
              .formatted(i));
    }
    String huge = "{\"Resources\": {" + resources + "}}";
    assertThat(huge.length()).isGreaterThan(1_000_000);

    // TemplateURL: "must point to a template (max size: 1 MB)" (API reference, CreateChangeSet)
    assertThatThrownBy(
            () ->
                cfn.createChangeSet(
                    r ->
                        r.stackName("Huge")
                            .changeSetName("cs")
                            .changeSetType(ChangeSetType.CREATE)
                            .templateURL(url(huge))))
        .isInstanceOf(CloudFormationException.class)
        .hasMessageContaining("Template may not exceed 1000000 bytes in size.");
  }

  // ---------------------------------------------------------------------------------------------
  // Container images

  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String IMAGE_FUNCTION =
      """
      {"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
         "PackageType": "Image",
         "Code": {"ImageUri": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-111111111111-eu-west-1:%s"}}}}}}""";

  @Test
  void imageUri_resolvesByTagToTheDigestInThisAccountsEcr() {
    EcrEmulator ecr = new EcrEmulator(ACCOUNT, CLOCK);
    ecr.putImage("cdk-hnb659fds-container-assets-111111111111-eu-west-1", DIGEST, "abc123");
    cfn.imageRegistry(ecr);

    assertThat(
            deploy("Images", ChangeSetType.CREATE, IMAGE_FUNCTION.formatted("abc123"), List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cfn.pulledImages("Images"))
        .isEqualTo(
            Map.of(
                "Fn", List.of("cdk-hnb659fds-container-assets-111111111111-eu-west-1@" + DIGEST)));
  }

  @Test
  void imageUri_ofAnImageNotInEcr_failsTheFunction_asLambdaDoes() {
    EcrEmulator ecr = new EcrEmulator(ACCOUNT, CLOCK);
    ecr.putImage("cdk-hnb659fds-container-assets-111111111111-eu-west-1", DIGEST, "abc123");
    cfn.imageRegistry(ecr);

    assertThat(deploy("Images", ChangeSetType.CREATE, IMAGE_FUNCTION.formatted("other"), List.of()))
        .isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(describe("Images").stackStatusReason())
        .isEqualTo(
            "Resource handler returned message: \"Source image 111111111111.dkr.ecr.eu-west-1.amazonaws.com/"
                + "cdk-hnb659fds-container-assets-111111111111-eu-west-1:other does not exist."
                + " Provide a valid source image. (Service: Lambda, Status Code: 400)\"");
  }

  @Test
  void accounts_giveEachAccountsEmulatorThatAccountsRegistry() {
    CloudFormationEmulator.Accounts accounts =
        new CloudFormationEmulator.Accounts(CLOCK, s3, "eu-west-1");
    EcrEmulator ecr = new EcrEmulator(ACCOUNT, CLOCK);
    ecr.putImage("cdk-hnb659fds-container-assets-111111111111-eu-west-1", DIGEST, "abc123");
    accounts.imageRegistries(
        account -> account.equals(ACCOUNT) ? ecr : new EcrEmulator(account, CLOCK));
    cfn = accounts.forAccount(ACCOUNT);

    assertThat(
            deploy("Images", ChangeSetType.CREATE, IMAGE_FUNCTION.formatted("abc123"), List.of()))
        .isEqualTo(StackStatus.CREATE_COMPLETE);
    assertThat(cfn.pulledImages("Images")).containsKey("Fn");
  }

  @Test
  void imageUri_withoutARegistry_isRefusedRatherThanDeployedUnchecked() {
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("Images")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL(url(IMAGE_FUNCTION.formatted("abc123"))))
            .id();
    cfn.describeChangeSet(r -> r.changeSetName(id));
    cfn.describeChangeSet(r -> r.changeSetName(id));
    cfn.describeChangeSet(r -> r.changeSetName(id));

    assertThatThrownBy(() -> cfn.executeChangeSet(r -> r.changeSetName(id)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("call imageRegistry");
  }
}
