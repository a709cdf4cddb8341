package dev.cairn.local.emulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalS3;
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
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeAction;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.InvalidChangeSetStatusException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(S3LocalExtension.class)
class CloudFormationEmulatorTest {

  private static final String ACCOUNT = "111111111111";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  private static final String TABLE_V1 =
      """
      {"Resources": {
         "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders", "BillingMode": "PAY_PER_REQUEST"}},
         "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}}
       },
       "Outputs": {"TableName": {"Value": "orders"}}}
      """;

  private final S3Client s3;
  private final LocalBuckets buckets;
  private final LocalS3 local;
  private CloudFormationEmulator cfn;

  CloudFormationEmulatorTest(S3Client s3, LocalBuckets buckets, LocalS3 local) {
    this.s3 = s3;
    this.buckets = buckets;
    this.local = local;
  }

  @BeforeEach
  void setUp() {
    cfn = new CloudFormationEmulator(ACCOUNT, "eu-west-1", CLOCK, s3);
  }

  private String upload(String body) {
    String key = "svc/" + UUID.randomUUID() + "/cdk.out/App.template.json";
    // S3Proxy occasionally drops a kept-alive connection ("Unexpected end of file from server"),
    // which UrlConnectionHttpClient surfaces unretried; the upload is test setup, so retry it.
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(r -> r.bucket(buckets.candidate()).key(key), RequestBody.fromString(body));
        break;
      } catch (java.io.UncheckedIOException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
    return templateUrl(buckets.candidate(), key);
  }

  /**
   * The regional path-style form Cairn's deployer sends; the emulator reads it through its client.
   */
  private static String templateUrl(String bucket, String key) {
    return "https://s3.eu-west-1.amazonaws.com/" + bucket + "/" + key;
  }

  private CreateChangeSetResponse create(String stack, String cs, ChangeSetType type, String body) {
    return cfn.createChangeSet(
        r -> r.stackName(stack).changeSetName(cs).changeSetType(type).templateURL(upload(body)));
  }

  private List<ChangeSetStatus> pollChangeSet(String id) {
    List<ChangeSetStatus> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      DescribeChangeSetResponse d = cfn.describeChangeSet(r -> r.changeSetName(id));
      seen.add(d.status());
      if (d.status() == ChangeSetStatus.CREATE_COMPLETE || d.status() == ChangeSetStatus.FAILED) {
        break;
      }
    }
    return seen;
  }

  private List<StackStatus> pollStack(String stack) {
    List<StackStatus> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StackStatus s = cfn.describeStacks(r -> r.stackName(stack)).stacks().get(0).stackStatus();
      seen.add(s);
      if (!s.toString().endsWith("_IN_PROGRESS")) {
        break;
      }
    }
    return seen;
  }

  /** Creates and deploys {@code body} as a new stack; returns the change set id. */
  private String deploy(String stack, String body) {
    String id = create(stack, "cs-create", ChangeSetType.CREATE, body).id();
    pollChangeSet(id);
    cfn.executeChangeSet(r -> r.changeSetName(id));
    pollStack(stack);
    return id;
  }

  private static Map<String, ResourceChange> changes(DescribeChangeSetResponse d) {
    Map<String, ResourceChange> out = new java.util.TreeMap<>();
    d.changes().forEach(c -> out.put(c.resourceChange().logicalResourceId(), c.resourceChange()));
    return out;
  }

  @Test
  void createChangeSet_thenExecute_followsApiStatusSequences() {
    CreateChangeSetResponse created = create("Orders", "cs-1", ChangeSetType.CREATE, TABLE_V1);

    assertThat(created.stackId())
        .matches("arn:aws:cloudformation:eu-west-1:111111111111:stack/Orders/[0-9a-f-]{36}");
    assertThat(created.id())
        .matches("arn:aws:cloudformation:eu-west-1:111111111111:changeSet/cs-1/[0-9a-f-]{36}");
    assertThat(cfn.stackStatus("Orders")).contains(StackStatus.REVIEW_IN_PROGRESS);

    assertThat(pollChangeSet(created.id()))
        .containsExactly(
            ChangeSetStatus.CREATE_PENDING,
            ChangeSetStatus.CREATE_IN_PROGRESS,
            ChangeSetStatus.CREATE_COMPLETE);
    DescribeChangeSetResponse d = cfn.describeChangeSet(r -> r.changeSetName(created.id()));
    assertThat(d.executionStatus()).isEqualTo(ExecutionStatus.AVAILABLE);
    assertThat(changes(d)).containsOnlyKeys("Queue", "Table");
    assertThat(changes(d).get("Table").action()).isEqualTo(ChangeAction.ADD);
    assertThat(changes(d).get("Table").resourceType()).isEqualTo("AWS::DynamoDB::Table");

    cfn.executeChangeSet(r -> r.changeSetName("cs-1").stackName("Orders"));
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(created.id())).executionStatus())
        .isEqualTo(ExecutionStatus.EXECUTE_IN_PROGRESS);
    assertThat(pollStack("Orders"))
        .containsExactly(StackStatus.CREATE_IN_PROGRESS, StackStatus.CREATE_COMPLETE);
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(created.id())).executionStatus())
        .isEqualTo(ExecutionStatus.EXECUTE_COMPLETE);
    assertThat(cfn.deployedTemplate("Orders")).contains(TABLE_V1);
    assertThat(cfn.deployedResources("Orders"))
        .containsExactly(
            Map.entry("Queue", "AWS::SQS::Queue"), Map.entry("Table", "AWS::DynamoDB::Table"));
    assertThat(cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).outputs())
        .singleElement()
        .satisfies(o -> assertThat(o.outputValue()).isEqualTo("orders"));
    assertThat(cfn.getTemplate(r -> r.stackName("Orders")).templateBody()).isEqualTo(TABLE_V1);
    assertThat(cfn.callCounts())
        .containsEntry("CreateChangeSet", 1)
        .containsEntry("ExecuteChangeSet", 1)
        .containsEntry("DescribeStacks", 3);
  }

  @Test
  void updateChangeSet_computesAddModifyRemoveAndReplacement() {
    deploy("Orders", TABLE_V1);
    String v2 =
        """
        {"Parameters": {"Name": {"Type": "String"}},
         "Resources": {
           "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Ref": "Name"}, "BillingMode": "PAY_PER_REQUEST"}},
           "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}
         }}
        """;
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("Orders")
                        .changeSetName("cs-2")
                        .templateURL(upload(v2))
                        .parameters(
                            Parameter.builder()
                                .parameterKey("Name")
                                .parameterValue("orders-v2")
                                .build()))
            .id();
    assertThat(pollChangeSet(id)).endsWith(ChangeSetStatus.CREATE_COMPLETE);
    Map<String, ResourceChange> changes = changes(cfn.describeChangeSet(r -> r.changeSetName(id)));

    assertThat(changes.get("Bucket").action()).isEqualTo(ChangeAction.ADD);
    assertThat(changes.get("Queue").action()).isEqualTo(ChangeAction.REMOVE);
    assertThat(changes.get("Table").action()).isEqualTo(ChangeAction.MODIFY);
    assertThat(changes.get("Table").replacement()).isEqualTo(Replacement.TRUE);
    assertThat(changes.get("Table").details())
        .singleElement()
        .satisfies(dt -> assertThat(dt.target().name()).isEqualTo("TableName"));

    cfn.executeChangeSet(r -> r.changeSetName(id));
    assertThat(pollStack("Orders"))
        .containsExactly(
            StackStatus.UPDATE_IN_PROGRESS,
            StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
            StackStatus.UPDATE_COMPLETE);
    assertThat(cfn.deployedResources("Orders")).containsOnlyKeys("Table", "Bucket");
    assertThat(cfn.deployedParameters("Orders")).containsEntry("Name", "orders-v2");
  }

  @Test
  void modify_nonReplacingPropertyIsFalse_intrinsicOnReplacingPropertyIsConditional() {
    deploy("Orders", TABLE_V1);
    String v2 =
        """
        {"Resources": {
           "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": {"Fn::Join": ["", ["a", "b"]]}, "BillingMode": "PAY_PER_REQUEST"}},
           "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}
         }}
        """;
    String id = create("Orders", "cs-2", ChangeSetType.UPDATE, v2).id();
    pollChangeSet(id);
    Map<String, ResourceChange> changes = changes(cfn.describeChangeSet(r -> r.changeSetName(id)));
    assertThat(changes.get("Queue").replacement()).isEqualTo(Replacement.FALSE);
    assertThat(changes.get("Table").replacement()).isEqualTo(Replacement.CONDITIONAL);
  }

  @Test
  void emptyChangeSet_isFailedWithTheServiceReason_andCannotBeExecuted() {
    deploy("Orders", TABLE_V1);
    String id = create("Orders", "cs-2", ChangeSetType.UPDATE, TABLE_V1).id();

    assertThat(pollChangeSet(id))
        .containsExactly(
            ChangeSetStatus.CREATE_PENDING,
            ChangeSetStatus.CREATE_IN_PROGRESS,
            ChangeSetStatus.FAILED);
    DescribeChangeSetResponse d = cfn.describeChangeSet(r -> r.changeSetName(id));
    assertThat(d.statusReason())
        .isEqualTo(
            "The submitted information didn't contain changes. Submit different information to create a change set.");
    assertThat(d.executionStatus()).isEqualTo(ExecutionStatus.UNAVAILABLE);
    assertThat(d.changes()).isEmpty();
    assertThatThrownBy(() -> cfn.executeChangeSet(r -> r.changeSetName(id)))
        .isInstanceOfSatisfying(
            InvalidChangeSetStatusException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidChangeSetStatus");
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }

  @Test
  void describeStacks_missingStack_isValidationError400() {
    assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName("Nope")))
        .isExactlyInstanceOf(CloudFormationException.class)
        .satisfies(
            t -> {
              CloudFormationException e = (CloudFormationException) t;
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Stack with id Nope does not exist");
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }

  @Test
  void describeChangeSet_unknown_isChangeSetNotFound404() {
    deploy("Orders", TABLE_V1);
    assertThatThrownBy(
            () -> cfn.describeChangeSet(r -> r.changeSetName("nope").stackName("Orders")))
        .isInstanceOfSatisfying(
            ChangeSetNotFoundException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ChangeSetNotFound");
              assertThat(e.statusCode()).isEqualTo(404);
            });
  }

  @Test
  void createChangeSet_rejectsMalformedTemplates() {
    assertValidationError(
        () -> create("A", "cs", ChangeSetType.CREATE, "{\"Resources\": {"),
        "Template format error: JSON not well-formed.");
    assertValidationError(
        () -> create("A", "cs", ChangeSetType.CREATE, "{\"Outputs\": {}}"),
        "Template format error: At least one Resources member must be defined.");
    assertValidationError(
        () -> create("A", "cs", ChangeSetType.CREATE, "{\"Resources\": {\"X\": {}}}"),
        "Template format error: [/Resources/X] Every Resources object must contain a Type member.");
    assertValidationError(
        () -> create("A", "cs", ChangeSetType.CREATE, "{\"Resources\": {\"X\": 1}}"),
        "Template format error: Every Resources member must be an object.");
    assertValidationError(
        () -> create("A", "cs", ChangeSetType.CREATE, "{\"Resources\": {}, \"Foo\": 1}"),
        "Template format error: Invalid template property or properties [Foo]");
    assertValidationError(
        () ->
            cfn.createChangeSet(
                r -> r.stackName("A").changeSetName("cs").changeSetType(ChangeSetType.CREATE)),
        "Either Template URL or Template Body must be specified.");
    assertValidationError(
        () ->
            cfn.createChangeSet(
                r ->
                    r.stackName("A")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL("https://example.com/t.json")),
        "TemplateURL must be a supported URL.");
    assertValidationError(
        () ->
            cfn.createChangeSet(
                r ->
                    r.stackName("A")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL(templateUrl(buckets.candidate(), "missing.json"))),
        "S3 error: Access Denied For more information check"
            + " http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html");
    assertThat(cfn.stackStatus("A")).isEmpty();
  }

  // --- Resource operations ----------------------------------------------------------------------

  private static final String EXEC_ROLE = "arn:aws:iam::111111111111:role/cairn-stage-cfn-exec";

  private static final String APP_V1 =
      """
      {"Resources": {
         "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
         "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
           "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 10,
           "Layer": {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, {"Ref": "AWS::Region"}]]}}},
         "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders"},
                   "DeletionPolicy": "Retain"},
         "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}
       }}
      """;

  private static final String APP_V2 =
      """
      {"Resources": {
         "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
         "Fn": {"Type": "AWS::Lambda::Function", "Properties": {
           "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Timeout": 20,
           "Layer": {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, {"Ref": "AWS::Region"}]]}}},
         "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "orders"},
                   "DeletionPolicy": "Retain"}
       }}
      """;

  private record Operation(
      String account,
      String region,
      String roleArn,
      String stack,
      String logicalId,
      String type,
      String operation,
      String physicalId,
      com.fasterxml.jackson.databind.JsonNode properties) {}

  private List<Operation> recordOperations() {
    List<Operation> ops = new ArrayList<>();
    cfn.onResourceOperation(
        (account, region, role, stack, logicalId, type, operation, physicalId, properties) ->
            ops.add(
                new Operation(
                    account,
                    region,
                    role,
                    stack,
                    logicalId,
                    type,
                    operation,
                    physicalId,
                    properties)));
    return ops;
  }

  private void execute(String stack, String cs, ChangeSetType type, String body, String role) {
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName(stack)
                        .changeSetName(cs)
                        .changeSetType(type)
                        .roleARN(role)
                        .capabilities(Capability.CAPABILITY_IAM)
                        .templateURL(upload(body)))
            .id();
    pollChangeSet(id);
    cfn.executeChangeSet(r -> r.changeSetName(id));
    pollStack(stack);
  }

  private static List<String> summary(List<Operation> ops) {
    return ops.stream()
        .map(o -> o.operation() + " " + o.logicalId() + " " + o.physicalId())
        .toList();
  }

  @Test
  void resourceOperations_createUpdateDelete_areReportedWithTheChangeSetsRole() {
    List<Operation> ops = recordOperations();

    execute("orders-app", "cs-1", ChangeSetType.CREATE, APP_V1, EXEC_ROLE);

    assertThat(ops).hasSize(4);
    assertThat(ops)
        .allSatisfy(
            o -> {
              assertThat(o.account()).isEqualTo(ACCOUNT);
              assertThat(o.region()).isEqualTo("eu-west-1");
              assertThat(o.roleArn()).isEqualTo(EXEC_ROLE);
              assertThat(o.stack()).isEqualTo("orders-app");
              assertThat(o.operation()).isEqualTo("CREATE");
            });
    assertThat(ops)
        .extracting(Operation::logicalId)
        .containsExactly("Role", "Fn", "Table", "Queue");
    assertThat(ops)
        .extracting(Operation::type)
        .containsExactly(
            "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::SQS::Queue");
    // Named by its name property, otherwise <stackName>-<logicalId>-<12-character suffix>.
    assertThat(ops.get(2).physicalId()).isEqualTo("orders");
    assertThat(ops.get(0).physicalId()).matches("orders-app-Role-[A-Z0-9]{12}");
    assertThat(ops.get(1).physicalId()).matches("orders-app-Fn-[A-Z0-9]{12}");
    String role = ops.get(0).physicalId();
    String fn = ops.get(1).physicalId();
    String queue = ops.get(3).physicalId();
    assertThat(ops.get(1).properties().path("Role").asText())
        .isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/" + role);
    assertThat(ops.get(1).properties().path("Layer").asText()).isEqualTo("arn:aws:eu-west-1");

    ops.clear();
    execute("orders-app", "cs-2", ChangeSetType.UPDATE, APP_V2, EXEC_ROLE);

    // The function is updated in place (same name); the queue is removed in the cleanup.
    assertThat(summary(ops)).containsExactly("UPDATE Fn " + fn, "DELETE Queue " + queue);
    assertThat(ops.get(0).properties().path("Timeout").asInt()).isEqualTo(20);
    assertThat(ops).extracting(Operation::roleArn).containsOnly(EXEC_ROLE);

    ops.clear();
    cfn.deleteStack(r -> r.stackName("orders-app"));

    // Last resource first; the retained table is not deleted; the stack's role is used.
    assertThat(summary(ops)).containsExactly("DELETE Fn " + fn, "DELETE Role " + role);
    assertThat(ops).extracting(Operation::roleArn).containsOnly(EXEC_ROLE);
  }

  @Test
  void resourceOperations_seeTheIdAttributesOtherResourcesTakeAsLiterals() {
    // Template Reference, "Return values" of each type: a security group's GroupId, an EIP's
    // AllocationId, a REST API's RootResourceId (an ID such as a0bc123d4e), a VPC's CidrBlock.
    List<Operation> ops = recordOperations();
    execute(
        "net-app",
        "cs-1",
        ChangeSetType.CREATE,
        """
        {"Resources": {
           "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
           "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d"}},
           "Ip": {"Type": "AWS::EC2::EIP", "Properties": {}},
           "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "api"}},
           "Uses": {"Type": "AWS::ApiGateway::Method", "Properties": {
             "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
             "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]},
             "AllocationId": {"Fn::GetAtt": ["Ip", "AllocationId"]},
             "Cidr": {"Fn::GetAtt": ["Vpc", "CidrBlock"]},
             "Unknown": {"Fn::GetAtt": ["Api", "NoSuchAttribute"]}}}
         }}
        """,
        EXEC_ROLE);

    var uses = ops.get(4).properties();
    assertThat(uses.path("GroupId").asText()).isEqualTo(ops.get(1).physicalId());
    assertThat(uses.path("AllocationId").asText()).isEqualTo(ops.get(2).physicalId());
    assertThat(uses.path("ResourceId").asText()).matches("[0-9a-f]{10}");
    assertThat(uses.path("Cidr").asText()).isEqualTo("10.0.0.0/16");
    // An attribute the emulator does not know stays as written.
    assertThat(uses.path("Unknown").has("Fn::GetAtt")).isTrue();
  }

  @Test
  void resourceOperation_refusedByTheListener_failsTheCreate_andTheStackRollsBack() {
    cfn.onResourceOperation(
        (account, region, role, stack, logicalId, type, operation, physicalId, properties) -> {
          if (type.equals("AWS::IAM::Role")) {
            throw new ResourceOperationListener.Refused(
                "User: " + role + " is not authorized to perform: iam:CreateRole");
          }
        });

    execute("orders-app", "cs-1", ChangeSetType.CREATE, APP_V1, EXEC_ROLE);

    var stack = cfn.describeStacks(r -> r.stackName("orders-app")).stacks().get(0);
    assertThat(stack.stackStatus()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
    assertThat(stack.stackStatusReason())
        .contains("Resource handler returned message: \"User: " + EXEC_ROLE)
        .contains("iam:CreateRole");
  }

  @Test
  void resourceOperations_withoutRoleArn_areReportedWithANullRole() {
    List<Operation> ops = recordOperations();

    execute("orders-app", "cs-1", ChangeSetType.CREATE, APP_V1, null);

    assertThat(ops).isNotEmpty().extracting(Operation::roleArn).containsOnlyNulls();
  }

  @Test
  void resourceOperations_whenACreationFails_theCreatedResourcesAreDeletedInTheRollback() {
    List<Operation> ops = recordOperations();
    cfn.failNextExecution("orders-app", "Resource handler returned message: boom");

    execute("orders-app", "cs-1", ChangeSetType.CREATE, APP_V1, EXEC_ROLE);

    assertThat(ops)
        .extracting(o -> o.operation() + " " + o.logicalId())
        .containsExactly(
            "CREATE Role",
            "CREATE Fn",
            "CREATE Table",
            "CREATE Queue",
            "DELETE Queue",
            "DELETE Fn",
            "DELETE Role");
  }

  @Test
  void physicalIds_followCloudFormationsNaming_andAreCutToTheTypesLimit() {
    List<Operation> ops = recordOperations();
    String longStack = "a-very-long-stack-name-for-hello-service-stage";

    execute(
        longStack,
        "cs-1",
        ChangeSetType.CREATE,
        """
        {"Resources": {"HandlerServiceRoleFCDC14AE": {"Type": "AWS::IAM::Role", "Properties": {}}}}
        """,
        EXEC_ROLE);

    String id = ops.get(0).physicalId();
    assertThat(id).hasSize(64).startsWith(longStack + "-Han").matches(".*-[A-Z0-9]{12}");
    // The change set of a later update names the resource by the same physical ID.
    String update =
        create(
                longStack,
                "cs-2",
                ChangeSetType.UPDATE,
                """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}
                """)
            .id();
    pollChangeSet(update);
    assertThat(
            changes(cfn.describeChangeSet(r -> r.changeSetName(update)))
                .get("HandlerServiceRoleFCDC14AE")
                .physicalResourceId())
        .isEqualTo(id);
  }

  @Test
  void templateUrl_fetchIsReportedAsAGetObjectByTheCaller() {
    List<String> fetches = new ArrayList<>();
    cfn.onTemplateFetch((account, bucket, key) -> fetches.add(account + " " + bucket + " " + key));
    String url = upload(TABLE_V1);
    String key = url.substring(url.indexOf(buckets.candidate()) + buckets.candidate().length() + 1);

    cfn.createChangeSet(
        r ->
            r.stackName("Orders")
                .changeSetName("cs-1")
                .changeSetType(ChangeSetType.CREATE)
                .templateURL(url));

    assertThat(fetches).containsExactly(ACCOUNT + " " + buckets.candidate() + " " + key);
  }

  @Test
  void accounts_reportEveryAccountsTemplateFetches_toOneListener() {
    CloudFormationEmulator.Accounts accounts =
        new CloudFormationEmulator.Accounts(CLOCK, s3, "eu-west-1");
    CloudFormationEmulator before = accounts.forAccount("222222222222");
    List<String> fetches = new ArrayList<>();
    accounts.onTemplateFetch((account, bucket, key) -> fetches.add(account + " " + key));
    CloudFormationEmulator after = accounts.forAccount("333333333333");
    String url = upload(TABLE_V1);
    String key = url.substring(url.indexOf(buckets.candidate()) + buckets.candidate().length() + 1);

    for (CloudFormationEmulator emulator : List.of(before, after)) {
      emulator.createChangeSet(
          r ->
              r.stackName("Orders")
                  .changeSetName("cs-1")
                  .changeSetType(ChangeSetType.CREATE)
                  .templateURL(url));
    }

    assertThat(fetches).containsExactly("222222222222 " + key, "333333333333 " + key);
  }

  @Test
  void templateUrl_whenTheObjectIsMissing_theFetchIsStillReported_andAccessIsDenied() {
    List<String> fetches = new ArrayList<>();
    cfn.onTemplateFetch((account, bucket, key) -> fetches.add(account + " " + bucket + " " + key));

    assertValidationError(
        () ->
            cfn.createChangeSet(
                r ->
                    r.stackName("A")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL(
                            "https://"
                                + buckets.candidate()
                                + ".s3.eu-west-1.amazonaws.com/svc/none.json")),
        CloudFormationEmulator.TEMPLATE_ACCESS_DENIED);
    assertThat(fetches).containsExactly(ACCOUNT + " " + buckets.candidate() + " svc/none.json");
    assertThat(cfn.stackStatus("A")).isEmpty();
  }

  @Test
  void templateUrl_whenNotAnS3HttpsUrl_isRefusedWithoutAFetch() {
    List<String> fetches = new ArrayList<>();
    cfn.onTemplateFetch((account, bucket, key) -> fetches.add(bucket + "/" + key));
    String uploaded = upload(TABLE_V1);
    String key =
        uploaded.substring(uploaded.indexOf(buckets.candidate()) + buckets.candidate().length());

    for (String url :
        List.of(
            local.endpoint() + "/" + buckets.candidate() + key,
            "http://s3.eu-west-1.amazonaws.com/" + buckets.candidate() + key,
            "s3://" + buckets.candidate() + key,
            "https://s3.eu-west-1.amazonaws.com:8443/" + buckets.candidate() + key)) {
      assertValidationError(
          () ->
              cfn.createChangeSet(
                  r ->
                      r.stackName("A")
                          .changeSetName("cs")
                          .changeSetType(ChangeSetType.CREATE)
                          .templateURL(url)),
          "TemplateURL must be a supported URL.");
    }
    assertThat(fetches).isEmpty();
  }

  private static void assertValidationError(Runnable call, String messagePrefix) {
    assertThatThrownBy(call::run)
        .isExactlyInstanceOf(CloudFormationException.class)
        .satisfies(
            t -> {
              CloudFormationException e = (CloudFormationException) t;
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
              assertThat(e.awsErrorDetails().errorMessage()).startsWith(messagePrefix);
              assertThat(e.statusCode()).isEqualTo(400);
            });
  }

  @Test
  void templateUrl_parsesVirtualHostedAndPathStyleForms_only() {
    assertThat(
            CloudFormationEmulator.bucketAndKey(
                "https://cdk-assets.s3.eu-west-1.amazonaws.com/svc/abc/App.template.json"))
        .containsExactly("cdk-assets", "svc/abc/App.template.json");
    assertThat(
            CloudFormationEmulator.bucketAndKey(
                "https://s3.eu-west-1.amazonaws.com/cdk-assets/svc/a%20b.json"))
        .containsExactly("cdk-assets", "svc/a b.json");
    assertThat(
            CloudFormationEmulator.bucketAndKey(
                "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-1-us-east-1/0f49.json"))
        .containsExactly("cdk-hnb659fds-assets-1-us-east-1", "0f49.json");
    assertThatThrownBy(
            () -> CloudFormationEmulator.bucketAndKey("http://127.0.0.1:4566/bucket/k/t.json"))
        .isInstanceOf(CloudFormationException.class);
    assertThatThrownBy(
            () -> CloudFormationEmulator.bucketAndKey("http://s3.amazonaws.com/bucket/key"))
        .isInstanceOf(CloudFormationException.class);
  }

  @Test
  void iamResources_requireCapabilities() {
    String role =
        """
        {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}}}
        """;
    String namedRole =
        """
        {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "deploy"}}}}
        """;
    assertThatThrownBy(() -> create("A", "cs", ChangeSetType.CREATE, role))
        .isInstanceOfSatisfying(
            InsufficientCapabilitiesException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("InsufficientCapabilitiesException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Requires capabilities : [CAPABILITY_IAM]");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    assertThatThrownBy(
            () ->
                cfn.createChangeSet(
                    r ->
                        r.stackName("A")
                            .changeSetName("cs")
                            .changeSetType(ChangeSetType.CREATE)
                            .capabilities(Capability.CAPABILITY_IAM)
                            .templateURL(upload(namedRole))))
        .isInstanceOf(InsufficientCapabilitiesException.class)
        .hasMessageContaining("CAPABILITY_NAMED_IAM");
    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("A")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .capabilities(Capability.CAPABILITY_NAMED_IAM)
                        .templateURL(upload(namedRole)))
            .id();
    assertThat(pollChangeSet(id)).endsWith(ChangeSetStatus.CREATE_COMPLETE);
  }

  @Test
  void duplicateChangeSetName_isAlreadyExists_butSameClientTokenIsIdempotent() {
    String url = upload(TABLE_V1);
    CreateChangeSetRequest request =
        CreateChangeSetRequest.builder()
            .stackName("Orders")
            .changeSetName("cs-1")
            .changeSetType(ChangeSetType.CREATE)
            .templateURL(url)
            .clientToken("artifact-stage-1")
            .tags(Tag.builder().key("cairn:commit").value("abc123").build())
            .roleARN("arn:aws:iam::111111111111:role/cfn-exec")
            .build();
    String first = cfn.createChangeSet(request).id();

    assertThat(cfn.createChangeSet(request).id()).isEqualTo(first);
    assertThatThrownBy(() -> cfn.createChangeSet(request.toBuilder().clientToken("other").build()))
        .isInstanceOfSatisfying(
            AlreadyExistsException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AlreadyExistsException");
              assertThat(e.statusCode()).isEqualTo(400);
            });
    // Request capture: the exact requests, in order, including the rejected one.
    assertThat(cfn.requests(CreateChangeSetRequest.class))
        .containsExactly(request, request, request.toBuilder().clientToken("other").build());
  }

  @Test
  void createType_onExistingStack_andUpdateType_onMissingStack_areValidationErrors() {
    deploy("Orders", TABLE_V1);
    assertValidationError(
        () -> create("Orders", "cs-x", ChangeSetType.CREATE, TABLE_V1),
        "Stack [Orders] already exists and cannot be created again with the changeSet [cs-x].");
    assertValidationError(
        () -> create("Other", "cs-x", ChangeSetType.UPDATE, TABLE_V1),
        "Stack [Other] does not exist");
  }

  @Test
  void failedCreate_rollsBack_andTheStackMustBeDeletedBeforeRetry() {
    cfn.failNextExecution("Orders", "Resource handler returned message: boom");
    String id = create("Orders", "cs-1", ChangeSetType.CREATE, TABLE_V1).id();
    pollChangeSet(id);
    cfn.executeChangeSet(r -> r.changeSetName(id));

    assertThat(pollStack("Orders"))
        .containsExactly(
            StackStatus.CREATE_IN_PROGRESS,
            StackStatus.ROLLBACK_IN_PROGRESS,
            StackStatus.ROLLBACK_COMPLETE);
    assertThat(cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).stackStatusReason())
        .isEqualTo("Resource handler returned message: boom");
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).executionStatus())
        .isEqualTo(ExecutionStatus.EXECUTE_FAILED);
    assertThat(cfn.deployedTemplate("Orders")).isEmpty();
    assertValidationError(
        () -> create("Orders", "cs-2", ChangeSetType.UPDATE, TABLE_V1),
        "Stack:arn:aws:cloudformation:eu-west-1:111111111111:stack/Orders/");

    String stackId = cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).stackId();
    cfn.deleteStack(r -> r.stackName("Orders"));
    assertThat(pollStack("Orders"))
        .containsExactly(StackStatus.DELETE_IN_PROGRESS, StackStatus.DELETE_COMPLETE);
    assertValidationError(
        () -> cfn.describeStacks(r -> r.stackName("Orders")),
        "Stack with id Orders does not exist");
    assertThat(cfn.describeStacks(r -> r.stackName(stackId)).stacks().get(0).stackStatus())
        .isEqualTo(StackStatus.DELETE_COMPLETE);
    deploy("Orders", TABLE_V1);
    assertThat(cfn.stackStatus("Orders")).contains(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void failedUpdate_failsTwiceThenSucceeds_keepingThePreviousTemplateDeployed() {
    deploy("Orders", TABLE_V1);
    String v2 = TABLE_V1.replace("30", "60");
    cfn.failNextExecutions("Orders", 2, "Resource Queue failed to update");
    for (int attempt = 1; attempt <= 3; attempt++) {
      String name = "cs-" + attempt;
      String id = create("Orders", name, ChangeSetType.UPDATE, v2).id();
      pollChangeSet(id);
      cfn.executeChangeSet(r -> r.changeSetName(id));
      List<StackStatus> seen = pollStack("Orders");
      if (attempt < 3) {
        assertThat(seen)
            .containsExactly(
                StackStatus.UPDATE_IN_PROGRESS,
                StackStatus.UPDATE_ROLLBACK_IN_PROGRESS,
                StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
                StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(cfn.deployedTemplate("Orders")).contains(TABLE_V1);
      } else {
        assertThat(seen).endsWith(StackStatus.UPDATE_COMPLETE);
        assertThat(cfn.deployedTemplate("Orders")).contains(v2);
      }
    }
  }

  @Test
  void failNextChangeSets_endsFailedWithTheGivenReason() {
    cfn.failNextChangeSets("Orders", 1, "Template error: boom");
    String id = create("Orders", "cs-1", ChangeSetType.CREATE, TABLE_V1).id();
    assertThat(pollChangeSet(id)).endsWith(ChangeSetStatus.FAILED);
    assertThat(cfn.describeChangeSet(r -> r.changeSetName(id)).statusReason())
        .isEqualTo("Template error: boom");
  }

  @Test
  void hang_keepsTheStackInProgressUntilReleased() {
    String id = create("Orders", "cs-1", ChangeSetType.CREATE, TABLE_V1).id();
    pollChangeSet(id);
    cfn.hang("Orders");
    cfn.executeChangeSet(r -> r.changeSetName(id));
    for (int i = 0; i < 5; i++) {
      assertThat(cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).stackStatus())
          .isEqualTo(StackStatus.CREATE_IN_PROGRESS);
    }
    cfn.release("Orders");
    assertThat(pollStack("Orders")).endsWith(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void driftDetection_reportsDriftedInSyncAndFailed() {
    deploy("Orders", TABLE_V1);
    cfn.driftDetectionTime(java.time.Duration.ZERO); // the clock is fixed here; see the next test
    String inSync = cfn.detectStackDrift(r -> r.stackName("Orders")).stackDriftDetectionId();
    assertThat(
            cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(inSync))
                .detectionStatus())
        .isEqualTo(StackDriftDetectionStatus.DETECTION_IN_PROGRESS);
    var done = cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(inSync));
    assertThat(done.detectionStatus()).isEqualTo(StackDriftDetectionStatus.DETECTION_COMPLETE);
    assertThat(done.stackDriftStatus()).isEqualTo(StackDriftStatus.IN_SYNC);
    assertThat(done.driftedStackResourceCount()).isZero();

    cfn.markDrifted("Orders", "Table");
    String drift = cfn.detectStackDrift(r -> r.stackName("Orders")).stackDriftDetectionId();
    cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(drift));
    var drifted = cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(drift));
    assertThat(drifted.stackDriftStatus()).isEqualTo(StackDriftStatus.DRIFTED);
    assertThat(drifted.driftedStackResourceCount()).isEqualTo(1);
    assertThat(
            cfn.describeStacks(r -> r.stackName("Orders"))
                .stacks()
                .get(0)
                .driftInformation()
                .stackDriftStatus())
        .isEqualTo(StackDriftStatus.DRIFTED);

    cfn.failNextDriftDetection("Orders", "Failed to detect drift on resource Table");
    String failed = cfn.detectStackDrift(r -> r.stackName("Orders")).stackDriftDetectionId();
    cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(failed));
    var f = cfn.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(failed));
    assertThat(f.detectionStatus()).isEqualTo(StackDriftDetectionStatus.DETECTION_FAILED);
    assertThat(f.detectionStatusReason()).isEqualTo("Failed to detect drift on resource Table");
  }

  /**
   * A detection takes time in CloudFormation: DETECTION_IN_PROGRESS until its duration has passed
   * on the clock, however often it is polled (a poller in a Lambda then spends real time).
   */
  @Test
  void driftDetection_staysInProgressUntilItsDurationHasPassed() {
    Instant[] now = {Instant.parse("2026-11-22T10:00:00Z")};
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    CloudFormationEmulator c = new CloudFormationEmulator(ACCOUNT, "eu-west-1", moving, s3);
    CloudFormationEmulator saved = cfn;
    cfn = c;
    try {
      deploy("Orders", TABLE_V1);
    } finally {
      cfn = saved;
    }
    String id = c.detectStackDrift(r -> r.stackName("Orders")).stackDriftDetectionId();
    for (int i = 0; i < 5; i++) {
      assertThat(
              c.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(id))
                  .detectionStatus())
          .isEqualTo(StackDriftDetectionStatus.DETECTION_IN_PROGRESS);
    }
    now[0] = now[0].plusSeconds(30);
    assertThat(
            c.describeStackDriftDetectionStatus(r -> r.stackDriftDetectionId(id)).detectionStatus())
        .isEqualTo(StackDriftDetectionStatus.DETECTION_COMPLETE);
  }

  @Test
  void stackPolicy_roundTrips_andDeniedReplacementFailsTheUpdate() {
    deploy("Orders", TABLE_V1);
    assertThat(cfn.getStackPolicy(r -> r.stackName("Orders")).stackPolicyBody()).isNull();
    String policy =
        """
        {"Statement": [
          {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
          {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*", "Resource": "*",
           "Condition": {"StringEquals": {"ResourceType": ["AWS::DynamoDB::Table"]}}}
        ]}
        """;
    cfn.setStackPolicy(r -> r.stackName("Orders").stackPolicyBody(policy));
    assertThat(cfn.getStackPolicy(r -> r.stackName("Orders")).stackPolicyBody()).isEqualTo(policy);

    String id =
        create(
                "Orders",
                "cs-2",
                ChangeSetType.UPDATE,
                TABLE_V1.replace("\"orders\"", "\"orders2\""))
            .id();
    pollChangeSet(id);
    cfn.executeChangeSet(r -> r.changeSetName(id));
    assertThat(pollStack("Orders")).endsWith(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    assertThat(cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).stackStatusReason())
        .startsWith("Action denied by stack policy");

    String ok = create("Orders", "cs-3", ChangeSetType.UPDATE, TABLE_V1.replace("30", "45")).id();
    pollChangeSet(ok);
    cfn.executeChangeSet(r -> r.changeSetName(ok));
    assertThat(pollStack("Orders")).endsWith(StackStatus.UPDATE_COMPLETE);
  }

  @Test
  void executeChangeSet_deletesTheStacksOtherChangeSets() {
    deploy("Orders", TABLE_V1);
    String a = create("Orders", "cs-a", ChangeSetType.UPDATE, TABLE_V1.replace("30", "31")).id();
    String b = create("Orders", "cs-b", ChangeSetType.UPDATE, TABLE_V1.replace("30", "32")).id();
    pollChangeSet(a);
    cfn.executeChangeSet(r -> r.changeSetName(a));
    assertThatThrownBy(() -> cfn.describeChangeSet(r -> r.changeSetName(b)))
        .isInstanceOf(ChangeSetNotFoundException.class);
    assertThat(cfn.listChangeSets(r -> r.stackName("Orders")).summaries())
        .extracting(s -> s.changeSetName())
        .containsExactly("cs-a");
  }

  @Test
  void injectedApiFailures_failNTimesThenSucceed() {
    deploy("Orders", TABLE_V1);
    cfn.failNextCalls("DescribeStacks", 2, CloudFormationEmulator::throttling);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName("Orders")))
          .isInstanceOfSatisfying(
              CloudFormationException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.statusCode()).isEqualTo(400);
              });
    }
    assertThat(cfn.describeStacks(r -> r.stackName("Orders")).stacks().get(0).stackStatus())
        .isEqualTo(StackStatus.CREATE_COMPLETE);
  }

  @Test
  void accounts_handOutOneEmulatorPerAccount() {
    CloudFormationEmulator.Accounts accounts =
        new CloudFormationEmulator.Accounts(CLOCK, s3, "eu-west-1");
    CloudFormationEmulator stage = accounts.forAccount("222222222222");
    CloudFormationEmulator prod = accounts.forAccount("333333333333");
    assertThat(accounts.forAccount("222222222222")).isSameAs(stage);
    cfn = stage;
    create("Orders", "cs-1", ChangeSetType.CREATE, TABLE_V1);
    assertThat(stage.stackStatus("Orders")).isPresent();
    assertThat(prod.stackStatus("Orders")).isEmpty();
    assertThat(accounts.callCounts())
        .containsEntry("222222222222/eu-west-1", Map.of("CreateChangeSet", 1))
        .containsEntry("333333333333/eu-west-1", Map.of());
  }

  // A TemplateURL may name one object version: S3's versionId query parameter.

  @Test
  void templateUrl_withAVersionId_deploysThatVersion_evenAfterTheKeyIsOverwritten() {
    String key = "svc/" + UUID.randomUUID() + "/cdk.out/App.template.json";
    String v1 =
        s3.putObject(r -> r.bucket(buckets.candidate()).key(key), RequestBody.fromString(TABLE_V1))
            .versionId();
    String backdoor =
        "{\"Resources\": {\"Backdoor\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {}}}}";
    s3.putObject(r -> r.bucket(buckets.candidate()).key(key), RequestBody.fromString(backdoor));
    List<String> fetches = new ArrayList<>();
    cfn.onTemplateFetch(
        new TemplateFetchListener() {
          @Override
          public void fetched(String account, String bucket, String k) {
            throw new AssertionError("a versioned fetch is reported with its version");
          }

          @Override
          public void fetched(String account, String bucket, String k, String versionId) {
            fetches.add(k + "@" + versionId);
          }
        });

    String id =
        cfn.createChangeSet(
                r ->
                    r.stackName("Orders")
                        .changeSetName("cs-1")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL(templateUrl(buckets.candidate(), key) + "?versionId=" + v1))
            .id();
    pollChangeSet(id);
    cfn.executeChangeSet(r -> r.changeSetName(id));
    pollStack("Orders");

    assertThat(cfn.deployedTemplate("Orders")).contains(TABLE_V1);
    assertThat(fetches).containsExactly(key + "@" + v1);
  }

  @Test
  void templateUrl_withAVersionThatDoesNotExist_isRefusedAsS3Refuses() {
    String url = upload(TABLE_V1);

    assertValidationError(
        () ->
            cfn.createChangeSet(
                r ->
                    r.stackName("A")
                        .changeSetName("cs")
                        .changeSetType(ChangeSetType.CREATE)
                        .templateURL(url + "?versionId=3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")),
        CloudFormationEmulator.TEMPLATE_ACCESS_DENIED);
    assertThat(cfn.stackStatus("A")).isEmpty();
  }

  @Test
  void templateUrl_withAnyOtherQuery_isRefusedWithoutAFetch() {
    List<String> fetches = new ArrayList<>();
    cfn.onTemplateFetch((account, bucket, key) -> fetches.add(key));
    String url = upload(TABLE_V1);

    for (String query : List.of("?x=1", "?versionId=a&x=1", "?versionId=", "?versionId")) {
      assertValidationError(
          () ->
              cfn.createChangeSet(
                  r ->
                      r.stackName("A")
                          .changeSetName("cs")
                          .changeSetType(ChangeSetType.CREATE)
                          .templateURL(url + query)),
          "TemplateURL must be a supported URL.");
    }
    assertThat(fetches).isEmpty();
  }
}
