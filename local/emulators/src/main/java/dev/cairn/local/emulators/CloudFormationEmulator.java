package dev.cairn.local.emulators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.core.deploy.CloudFormationTimes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeAction;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetNotFoundException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackDriftDetectionStatusResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftRequest;
import software.amazon.awssdk.services.cloudformation.model.DetectStackDriftResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.Export;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.InvalidChangeSetStatusException;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListExportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListExportsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListImportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListImportsResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceAttribute;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackDriftDetectionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackDriftInformation;
import software.amazon.awssdk.services.cloudformation.model.StackDriftStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An honest in-memory CloudFormation for one account and region. See {@code local/README.md} for
 * the full contract; the short version:
 *
 * <ul>
 *   <li><b>Templates</b> ({@link TemplateSource}) come from S3 through the injected {@link
 *       S3Client} ({@code TemplateURL} in the documented {@code https://} S3 forms only,
 *       virtual-hosted or path-style) or from {@code TemplateBody} (at most 51,200 bytes, as the
 *       API). CloudFormation fetches a {@code TemplateURL} with the caller's credentials, so each
 *       fetch is reported to the {@link TemplateFetchListener} as an {@code s3:GetObject} by the
 *       caller, for the sandbox's IAM check. JSON only: CDK synthesizes JSON, and a YAML parser is
 *       not worth the dependency here (deliberate deviation).
 *   <li><b>Progress model.</b> With {@link StackOperationTimes#modelled()} (the sandbox's setting)
 *       change sets and stack operations take their modelled time on the injected {@link Clock}: a
 *       status is reached when its time has come, and each operation's span is recorded ({@link
 *       #operations()}). With {@link StackOperationTimes#stepPerDescribe()} (the default, for unit
 *       tests on a fixed clock) an operation starts in its first status, the first Describe call
 *       that observes it returns that status, and each later Describe call advances it one step.
 *       {@code DescribeChangeSet} drives change sets, {@code DescribeStacks} drives stack
 *       operations, {@code DescribeStackDriftDetectionStatus} drives drift detections. Nothing
 *       depends on wall time, so runs are reproducible.
 *   <li><b>Changes</b> per logical ID: {@code Add}, {@code Remove}, {@code Modify}. A Modify is
 *       computed on {@code Properties} and {@code Metadata} after substituting parameter {@code
 *       Ref}s; other attributes ({@code DependsOn}, {@code DeletionPolicy}, ...) do not produce a
 *       change. A stack-tag change marks every kept resource {@code Modify} with scope {@code
 *       Tags}. <b>Replacement rule:</b> a changed property listed in {@link
 *       #REPLACEMENT_PROPERTIES} gives {@code Replacement=True} when both old and new values are
 *       literals, {@code Conditional} when either contains an intrinsic function (its value is only
 *       known at deploy time); any other property change gives {@code False}.
 *   <li><b>Stack policy</b> set with {@code SetStackPolicy} is enforced on execute of an UPDATE
 *       change set, as CloudFormation does: {@code Update:Modify}, {@code Update:Replace} (also for
 *       {@code Conditional}) and {@code Update:Delete} per resource, explicit Deny wins, anything
 *       not allowed is denied. A denial fails the update (update rollback statuses).
 *   <li><b>Across stacks</b>: nested stacks ({@link #nestedOperation}), exports and imports ({@link
 *       #crossStackFailure}), a function's container image in ECR ({@link #pullImages}). Resources
 *       are created in dependency order ({@link #creationOrder}) and deleted in reverse.
 * </ul>
 *
 * <p>This class is the stack engine; one concern each lives beside it: {@link TemplateSource}
 * (where a template comes from, its limits and format errors), {@link ChangeSetDiff} (the changes
 * and their replacement), {@link StackPolicyEvaluator}, {@link StackFaults} (injected failures,
 * drift, hangs) and {@link StackOperationTimes}.
 */
public final class CloudFormationEmulator implements CloudFormationClient {

  /** The StatusReason of a change set with no changes, verbatim from the service. */
  public static final String NO_CHANGES_REASON =
      "The submitted information didn't contain changes. Submit different information to create a change set.";

  /**
   * Properties whose change requires replacement ("Update requires: Replacement" in the resource
   * reference), for the types Cairn deploys. Extend as needed; unlisted properties are treated as
   * updatable without interruption.
   */
  public static final Map<String, Set<String>> REPLACEMENT_PROPERTIES =
      Map.ofEntries(
          Map.entry("AWS::DynamoDB::Table", Set.of("TableName", "KeySchema")),
          Map.entry("AWS::S3::Bucket", Set.of("BucketName")),
          Map.entry("AWS::SQS::Queue", Set.of("QueueName", "FifoQueue")),
          Map.entry("AWS::SNS::Topic", Set.of("TopicName", "FifoTopic")),
          Map.entry("AWS::Lambda::Function", Set.of("FunctionName")),
          Map.entry("AWS::IAM::Role", Set.of("RoleName", "Path")),
          Map.entry("AWS::Logs::LogGroup", Set.of("LogGroupName")),
          Map.entry("AWS::ECR::Repository", Set.of("RepositoryName")),
          Map.entry("AWS::Events::EventBus", Set.of("Name")),
          Map.entry(
              "AWS::StepFunctions::StateMachine", Set.of("StateMachineName", "StateMachineType")));

  private static final Set<String> IAM_TYPES =
      Set.of(
          "AWS::IAM::AccessKey",
          "AWS::IAM::Group",
          "AWS::IAM::InstanceProfile",
          "AWS::IAM::ManagedPolicy",
          "AWS::IAM::Policy",
          "AWS::IAM::Role",
          "AWS::IAM::User",
          "AWS::IAM::UserToGroupAddition");
  private static final Set<String> IAM_NAME_PROPERTIES =
      Set.of("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z][-a-zA-Z0-9]*");

  /**
   * What CloudFormation answers when it cannot fetch a {@code TemplateURL} object: it relays S3's
   * error. For a missing key S3 answers 403 Access Denied, not 404, unless the caller may {@code
   * s3:ListBucket} (S3 API reference, GetObject, "Permissions"); a deploy role that may only {@code
   * s3:GetObject} its bootstrap bucket's objects therefore sees this text for a missing template as
   * for a forbidden one. Verbatim as reported, e.g. F5Networks/f5-aws-cloudformation#87 ("S3 error:
   * Access Denied For more information check
   * http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"). With ListBucket AWS says
   * "S3 error: The specified key does not exist." instead (aws-quickstart/quickstart-git2s3#78).
   */
  public static final String TEMPLATE_ACCESS_DENIED =
      "S3 error: Access Denied For more information check"
          + " http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final String region;
  private final Clock clock;
  private final TemplateSource templates;
  private final EmulatorCalls calls = new EmulatorCalls();
  private volatile ResourceOperationListener resourceOperations = ResourceOperationListener.NONE;

  private StackOperationTimes times = StackOperationTimes.stepPerDescribe();
  private final List<Operation> operations = new ArrayList<>();

  private final Map<String, EmulatedStack> stacks = new LinkedHashMap<>(); // by stack id
  private final Map<String, EmulatedChangeSet> changeSets = new LinkedHashMap<>(); // by id
  private final Map<String, EmulatedDrift> drifts = new LinkedHashMap<>(); // by detection id
  private long sequence;
  // "For each AWS account, Export names must be unique within a region." (User Guide, "Get
  // exported outputs from a deployed CloudFormation stack"): one registry per emulator, by name.
  private final Map<String, StackExport> exports = new TreeMap<>();
  private volatile EcrClient images;

  // Failure injection, by stack name.
  private final StackFaults faults = new StackFaults();

  /** An emulator for {@code account} in {@code region}, reading templates through {@code s3}. */
  public CloudFormationEmulator(String account, String region, Clock clock, S3Client s3) {
    if (!account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account ids are 12 digits: " + account);
    }
    this.account = account;
    this.region = region;
    this.clock = clock;
    this.templates = new TemplateSource(account, s3);
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  /**
   * Reports each {@code TemplateURL} fetch (as {@code s3:GetObject} by the caller) to {@code
   * listener}, replacing the previous one; {@link TemplateFetchListener#NONE} by default.
   */
  public void onTemplateFetch(TemplateFetchListener listener) {
    templates.onFetch(listener);
  }

  /**
   * Reports each resource operation (create, update, delete; also those of a rollback and of a
   * stack deletion) to {@code listener}, replacing the previous one; {@link
   * ResourceOperationListener#NONE} by default. See {@link #reportExecution}.
   */
  public void onResourceOperation(ResourceOperationListener listener) {
    this.resourceOperations = Objects.requireNonNull(listener, "listener");
  }

  /**
   * The ECR registry of this account, which a function's container image ({@code
   * AWS::Lambda::Function} {@code Code.ImageUri}) is resolved in: see {@link #pullImages}. Until
   * one is set, a template that pulls an image from this account's ECR is refused with an {@link
   * UnsupportedOperationException} rather than deployed unchecked.
   */
  public void imageRegistry(EcrClient registry) {
    this.images = Objects.requireNonNull(registry, "registry");
  }

  // ---------------------------------------------------------------------------------------------
  // Test API: inspection

  /** Every request received, in order (recorded before validation). */
  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public <T extends SdkRequest> List<T> requests(Class<T> type) {
    return calls.requests(type);
  }

  /** {@code {Operation: count}}, e.g. {@code {CreateChangeSet=2, DescribeStacks=7}}. */
  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  /**
   * The template body deployed in {@code stackName}: present only while the stack is in a state
   * where that template's resources exist ({@code CREATE_COMPLETE}, {@code UPDATE_COMPLETE}, {@code
   * UPDATE_ROLLBACK_COMPLETE}, or during a later operation on such a stack).
   */
  public synchronized Optional<String> deployedTemplate(String stackName) {
    EmulatedStack s = liveStack(stackName);
    return s == null || s.deployed == null ? Optional.empty() : Optional.of(s.deployed.body);
  }

  /** {@code {logicalId: resourceType}} of what is deployed in {@code stackName} (empty if none). */
  public synchronized Map<String, String> deployedResources(String stackName) {
    EmulatedStack s = liveStack(stackName);
    Map<String, String> out = new TreeMap<>();
    if (s != null && s.deployed != null) {
      s.deployed.resources().forEachRemaining(e -> out.put(e.getKey(), type(e.getValue())));
    }
    return out;
  }

  /** The parameter values the deployed template runs with. */
  public synchronized Map<String, String> deployedParameters(String stackName) {
    EmulatedStack s = liveStack(stackName);
    return s == null || s.deployed == null ? Map.of() : new TreeMap<>(s.deployedParameters);
  }

  /** The current stack status, without advancing it (empty if no live stack has that name). */
  public synchronized Optional<StackStatus> stackStatus(String stackName) {
    EmulatedStack s = liveStack(stackName);
    return s == null ? Optional.empty() : Optional.of(s.status);
  }

  // ---------------------------------------------------------------------------------------------
  // Test API: failure injection

  /**
   * The next {@code times} executions on {@code stackName} fail: a create ends in {@code
   * ROLLBACK_COMPLETE}, an update in {@code UPDATE_ROLLBACK_COMPLETE}, with {@code reason} as the
   * StackStatusReason. Later executions succeed.
   */
  public synchronized void failNextExecutions(String stackName, int times, String reason) {
    faults.failNextExecutions(stackName, times, reason);
  }

  /** Shorthand for {@code failNextExecutions(stackName, 1, reason)}. */
  public void failNextExecution(String stackName, String reason) {
    failNextExecutions(stackName, 1, reason);
  }

  /** The next {@code times} change sets created for {@code stackName} end {@code FAILED}. */
  public synchronized void failNextChangeSets(String stackName, int times, String reason) {
    faults.failNextChangeSets(stackName, times, reason);
  }

  /** The next deletion of {@code stackName} ends in {@code DELETE_FAILED}. */
  public synchronized void failNextDeletion(String stackName, String reason) {
    faults.failNextDeletion(stackName, reason);
  }

  /** Drift detection on {@code stackName} finds these logical resources drifted (until cleared). */
  public synchronized void markDrifted(String stackName, String... logicalIds) {
    faults.markDrifted(stackName, logicalIds);
  }

  public synchronized void clearDrift(String stackName) {
    faults.clearDrift(stackName);
  }

  private Duration driftDetectionTime = Duration.ofSeconds(30);

  /** How long operations take: see the class comment and {@link StackOperationTimes}. */
  public synchronized void operationTimes(StackOperationTimes times) {
    this.times = Objects.requireNonNull(times, "times");
  }

  /**
   * One timed operation: {@code kind} is {@code CreateChangeSet}, {@code ExecuteChangeSet} or
   * {@code DeleteStack}; {@code end} is when it reaches its final status (as modelled: a hanging
   * stack never does).
   */
  public record Operation(String stackName, String kind, Instant start, Instant end) {}

  /** Every timed operation so far, in the order they started (empty when not timed). */
  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  /**
   * How long a drift detection stays {@code DETECTION_IN_PROGRESS} (default 30 s); zero: one poll
   * in progress, the next complete.
   */
  public synchronized void driftDetectionTime(Duration time) {
    this.driftDetectionTime = time;
  }

  /** The next drift detection on {@code stackName} ends {@code DETECTION_FAILED}. */
  public synchronized void failNextDriftDetection(String stackName, String reason) {
    faults.failNextDriftDetection(stackName, reason);
  }

  /**
   * Operations on {@code stackName} (stack operations and its change sets' creation) stay in their
   * first {@code *_IN_PROGRESS}/{@code CREATE_PENDING} status until {@link #release}.
   */
  public synchronized void hang(String stackName) {
    faults.hang(stackName);
  }

  public synchronized void release(String stackName) {
    faults.release(stackName);
  }

  /**
   * The next {@code times} calls of {@code operation} (e.g. {@code "DescribeStacks"}) throw what
   * {@code failure} supplies, e.g. {@link #throttling()}.
   */
  public void failNextCalls(
      String operation, int times, Supplier<? extends RuntimeException> failure) {
    calls.failNext(operation, times, failure);
  }

  /** The error CloudFormation returns when throttled: code {@code Throttling}, status 400. */
  public static CloudFormationException throttling() {
    return AwsErrors.error(
        CloudFormationException.builder(), "CloudFormation", "Throttling", 400, "Rate exceeded");
  }

  // ---------------------------------------------------------------------------------------------
  // CreateChangeSet

  @Override
  public synchronized CreateChangeSetResponse createChangeSet(CreateChangeSetRequest request) {
    calls.record("CreateChangeSet", request);
    String stackName = required(request.stackName(), "stackName");
    String csName = required(request.changeSetName(), "changeSetName");
    checkName(csName, "changeSetName");
    ChangeSetType type =
        request.changeSetType() == null ? ChangeSetType.UPDATE : request.changeSetType();
    if (type != ChangeSetType.CREATE && type != ChangeSetType.UPDATE) {
      throw new UnsupportedOperationException("CloudFormationEmulator: ChangeSetType " + type);
    }
    if (Boolean.TRUE.equals(request.includeNestedStacks())) {
      // Cairn's deployer creates one change set per parent stack and lets the parent's execution
      // create and update its nested stacks; per-nested-stack change sets are not modelled.
      throw new UnsupportedOperationException("CloudFormationEmulator: IncludeNestedStacks");
    }
    EmulatedStack stack = liveStack(stackName);
    if (stack == null && !stackName.startsWith("arn:")) {
      checkName(stackName, "stackName");
    }

    // ClientToken idempotency: a retried request returns the change set it created.
    if (stack != null && request.clientToken() != null) {
      for (EmulatedChangeSet cs : changeSets.values()) {
        if (cs.stack == stack
            && cs.name.equals(csName)
            && request.clientToken().equals(cs.clientToken)) {
          return CreateChangeSetResponse.builder().id(cs.id).stackId(stack.id).build();
        }
      }
    }

    if (type == ChangeSetType.CREATE) {
      if (stack != null && stack.status != StackStatus.REVIEW_IN_PROGRESS) {
        throw validation(
            "Stack ["
                + stack.name
                + "] already exists and cannot be created again with the changeSet ["
                + csName
                + "].");
      }
    } else {
      if (stack == null || stack.status == StackStatus.REVIEW_IN_PROGRESS) {
        throw validation("Stack [" + stackName + "] does not exist");
      }
      if (!updatable(stack.status)) {
        throw validation(
            "Stack:" + stack.id + " is in " + stack.status + " state and can not be updated.");
      }
    }
    if (stack != null) {
      for (EmulatedChangeSet cs : changeSets.values()) {
        if (cs.stack == stack && cs.name.equals(csName)) {
          throw AwsErrors.error(
              AlreadyExistsException.builder(),
              "CloudFormation",
              "AlreadyExistsException",
              400,
              "ChangeSet " + csName + " already exists.");
        }
      }
    }

    Template template = template(request, stack);
    Map<String, String> parameters = parameters(template, request.parameters(), stack);
    checkCapabilities(template, request.capabilities());

    if (stack == null) {
      stack = new EmulatedStack(arn("stack/" + stackName + "/" + nextUuid()), stackName);
      stack.status = StackStatus.REVIEW_IN_PROGRESS;
      stack.statusReason = "User Initiated";
      stack.creationTime = clock.instant();
      stacks.put(stack.id, stack);
    }

    EmulatedChangeSet cs =
        new EmulatedChangeSet(arn("changeSet/" + csName + "/" + nextUuid()), csName);
    cs.stack = stack;
    cs.type = type;
    cs.template = template;
    cs.parameters = parameters;
    cs.tags = List.copyOf(request.tags());
    cs.capabilities = List.copyOf(request.capabilities());
    cs.notificationArns = List.copyOf(request.notificationARNs());
    cs.roleArn = request.roleARN();
    cs.clientToken = request.clientToken();
    cs.description = request.description();
    cs.creationTime = clock.instant();

    String injected = faults.nextChangeSetFailure(stack.name);
    String reason;
    if (injected != null) {
      reason = injected;
    } else {
      reason = computeChanges(cs);
      if (reason == null && cs.changes.isEmpty()) {
        reason = NO_CHANGES_REASON;
      }
    }
    List<ChangeSetStatus> csSteps =
        List.of(
            ChangeSetStatus.CREATE_PENDING,
            ChangeSetStatus.CREATE_IN_PROGRESS,
            reason == null ? ChangeSetStatus.CREATE_COMPLETE : ChangeSetStatus.FAILED);
    if (times.timed()) {
      Instant start = clock.instant();
      Duration took =
          StackOperationTimes.changeSet(
              stack.name, template.body(), template.root().path("Resources").size());
      cs.progress =
          new Progress<>(
              csSteps,
              List.of(start, start.plus(StackOperationTimes.FIRST_STEP), start.plus(took)));
      operations.add(new Operation(stack.name, "CreateChangeSet", start, start.plus(took)));
    } else {
      cs.progress = new Progress<>(csSteps, List.of());
    }
    cs.failureReason = reason;
    changeSets.put(cs.id, cs);
    return CreateChangeSetResponse.builder().id(cs.id).stackId(stack.id).build();
  }

  // ---------------------------------------------------------------------------------------------
  // DescribeChangeSet / ListChangeSets / DeleteChangeSet / ExecuteChangeSet

  @Override
  public synchronized DescribeChangeSetResponse describeChangeSet(
      DescribeChangeSetRequest request) {
    calls.record("DescribeChangeSet", request);
    EmulatedChangeSet cs = changeSet(request.changeSetName(), request.stackName());
    if (!faults.hanging(cs.stack.name) || cs.progress.cursor < 0) {
      cs.progress.observe(clock.instant());
    }
    if (times.timed()) {
      // Timed, the execution's progress depends on the clock, not on who looks: the change set's
      // ExecutionStatus is as current as DescribeStacks would show.
      cs.stack.observe(faults.hanging(cs.stack.name), clock.instant());
    }
    ChangeSetStatus status = cs.status();
    DescribeChangeSetResponse.Builder b =
        DescribeChangeSetResponse.builder()
            .changeSetName(cs.name)
            .changeSetId(cs.id)
            .stackId(cs.stack.id)
            .stackName(cs.stack.name)
            .description(cs.description)
            .creationTime(cs.creationTime)
            .status(status)
            .executionStatus(cs.executionStatus())
            .parameters(parameterList(cs.parameters))
            .capabilities(cs.capabilities)
            .tags(cs.tags)
            .changes(status == ChangeSetStatus.CREATE_COMPLETE ? cs.changes : List.of());
    if (status == ChangeSetStatus.FAILED) {
      b.statusReason(cs.failureReason);
    }
    return b.build();
  }

  @Override
  public synchronized ListChangeSetsResponse listChangeSets(ListChangeSetsRequest request) {
    calls.record("ListChangeSets", request);
    EmulatedStack stack = liveStack(required(request.stackName(), "stackName"));
    if (stack == null) {
      throw stackNotFound(request.stackName());
    }
    List<ChangeSetSummary> out = new ArrayList<>();
    for (EmulatedChangeSet cs : changeSets.values()) {
      if (cs.stack == stack) {
        out.add(
            ChangeSetSummary.builder()
                .changeSetId(cs.id)
                .changeSetName(cs.name)
                .stackId(stack.id)
                .stackName(stack.name)
                .status(cs.status())
                .statusReason(cs.status() == ChangeSetStatus.FAILED ? cs.failureReason : null)
                .executionStatus(cs.executionStatus())
                .creationTime(cs.creationTime)
                .description(cs.description)
                .build());
      }
    }
    return ListChangeSetsResponse.builder().summaries(out).build();
  }

  @Override
  public synchronized DeleteChangeSetResponse deleteChangeSet(DeleteChangeSetRequest request) {
    calls.record("DeleteChangeSet", request);
    EmulatedChangeSet cs = changeSet(request.changeSetName(), request.stackName());
    if (cs.executionStatus() == ExecutionStatus.EXECUTE_IN_PROGRESS) {
      throw invalidChangeSetStatus(
          "Cannot delete ChangeSet ["
              + cs.id
              + "] while it is in execution status EXECUTE_IN_PROGRESS");
    }
    changeSets.remove(cs.id);
    return DeleteChangeSetResponse.builder().build();
  }

  @Override
  public synchronized ExecuteChangeSetResponse executeChangeSet(ExecuteChangeSetRequest request) {
    calls.record("ExecuteChangeSet", request);
    EmulatedChangeSet cs = changeSet(request.changeSetName(), request.stackName());
    EmulatedStack stack = cs.stack;
    if (cs.executed) {
      if (request.clientRequestToken() != null
          && request.clientRequestToken().equals(cs.executeToken)) {
        return ExecuteChangeSetResponse.builder().build(); // a retried request
      }
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed in its current execution status of ["
              + cs.executionStatus()
              + "]");
    }
    if (cs.status() != ChangeSetStatus.CREATE_COMPLETE
        || cs.executionStatus() != ExecutionStatus.AVAILABLE) {
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed in its current status of ["
              + cs.status()
              + "]");
    }
    if (stack.progress != null) {
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed because stack ["
              + stack.name
              + "] is in "
              + stack.status
              + " state");
    }
    // "When you execute a change set, CloudFormation deletes all other change sets associated
    // with the stack because they aren't valid for the updated stack." (ExecuteChangeSet)
    changeSets.values().removeIf(other -> other.stack == stack && other != cs);
    cs.executed = true;
    cs.executeToken = request.clientRequestToken();
    stack.operationSequence++;
    stack.changeSetId = cs.id;
    stack.parametersAttempted = cs.parameters;
    stack.tags = cs.tags;
    stack.capabilities = cs.capabilities;
    stack.notificationArns = cs.notificationArns;
    stack.roleArn = cs.roleArn;
    stack.attempted = cs.template;
    if (stack.creationTime == null) {
      stack.creationTime = clock.instant();
    }

    String failure = faults.nextExecutionFailure(stack.name);
    boolean injectedFailure = failure != null;
    if (failure == null && cs.type == ChangeSetType.UPDATE) {
      failure = StackPolicyEvaluator.denial(stack.policyBody, cs.changes);
    }
    if (failure == null) {
      failure = crossStackFailure(stack, cs.template, cs.parameters, plannedIds(stack, cs), true);
    }
    if (failure == null || injectedFailure) {
      // A stack policy denial stops the update before any resource is touched (simplification:
      // CloudFormation checks the policy per resource and rolls back those already updated).
      try {
        reportExecution(stack, cs, failure != null);
      } catch (ResourceOperationListener.Refused refused) {
        // The resource handler was refused a call: the resource fails and the stack rolls back
        // (simplification: the resources already created are not reported as rolled back).
        failure = "Resource handler returned message: \"" + refused.getMessage() + "\"";
      } catch (NestedStackFailure nested) {
        failure = nested.getMessage();
      }
    }
    final String reason = failure;
    boolean create = cs.type == ChangeSetType.CREATE;
    List<StackStatus> steps;
    if (create && reason == null) {
      steps = List.of(StackStatus.CREATE_IN_PROGRESS, StackStatus.CREATE_COMPLETE);
    } else if (create) {
      steps =
          List.of(
              StackStatus.CREATE_IN_PROGRESS,
              StackStatus.ROLLBACK_IN_PROGRESS,
              StackStatus.ROLLBACK_COMPLETE);
    } else if (reason == null) {
      steps =
          List.of(
              StackStatus.UPDATE_IN_PROGRESS,
              StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
              StackStatus.UPDATE_COMPLETE);
    } else {
      steps =
          List.of(
              StackStatus.UPDATE_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_COMPLETE);
    }
    cs.executionFailed = reason != null;
    stack.start(
        steps,
        executionOffsets(stack, cs, create, reason != null),
        "User Initiated",
        reason,
        () -> {
          if (reason == null) {
            commit(stack, cs.template, cs.parameters);
            stack.lastUpdatedTime = create ? null : clock.instant();
          } else if (create) {
            stack.deployed = null; // rolled back: nothing of it exists
          }
          for (EmulatedChangeSet other : changeSets.values()) {
            if (other.stack == stack && other != cs) {
              other.obsolete = true;
            }
          }
        },
        clock);
    if (!create) {
      stack.lastUpdatedTime = clock.instant();
    }
    return ExecuteChangeSetResponse.builder().build();
  }

  /**
   * When each status of an execution is reached, from its start ({@link StackOperationTimes}):
   * forward through the longest chain of touched resources, then the cleanup of replaced and
   * removed resources (in parallel). A failure is modelled halfway through, then the rollback
   * undoes what was done. Empty when operations are not timed. Records the operation.
   */
  private List<Duration> executionOffsets(
      EmulatedStack stack, EmulatedChangeSet cs, boolean create, boolean failed) {
    if (!times.timed()) {
      return List.of();
    }
    Duration chain = forwardChain(stack, cs);
    List<Duration> cleanup = new ArrayList<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      boolean removes =
          rc.action() == ChangeAction.REMOVE
              || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE);
      if (removes) {
        cleanup.add(
            StackOperationTimes.resource(
                stack.name,
                rc.logicalResourceId(),
                rc.resourceType(),
                CloudFormationTimes.Action.DELETE,
                cs.template.body()));
      }
    }
    Duration clean = StackOperationTimes.parallel(cleanup);
    List<Duration> offsets;
    if (!failed) {
      offsets =
          create ? List.of(Duration.ZERO, chain) : List.of(Duration.ZERO, chain, chain.plus(clean));
    } else {
      Duration half = chain.dividedBy(2);
      offsets =
          create
              ? List.of(Duration.ZERO, half, chain)
              : List.of(Duration.ZERO, half, chain, chain.plus(StackOperationTimes.MIN_CLEANUP));
    }
    Instant now = clock.instant();
    operations.add(
        new Operation(
            stack.name, "ExecuteChangeSet", now, now.plus(offsets.get(offsets.size() - 1))));
    return offsets;
  }

  /** The longest chain of the resources {@code cs} adds or modifies, at least one second. */
  private Duration forwardChain(EmulatedStack stack, EmulatedChangeSet cs) {
    Map<String, Duration> forward = new HashMap<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      CloudFormationTimes.Action action;
      if (rc.action() == ChangeAction.ADD
          || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE)) {
        action = CloudFormationTimes.Action.CREATE;
      } else if (rc.action() == ChangeAction.MODIFY) {
        action = CloudFormationTimes.Action.UPDATE;
      } else {
        continue;
      }
      Duration nested = cs.nestedTimes.get(id);
      forward.put(
          id,
          nested != null
              ? nested
              : StackOperationTimes.resource(
                  stack.name, id, rc.resourceType(), action, cs.template.body()));
    }
    Duration chain =
        StackOperationTimes.longestChain(resourceMap(cs.template, cs.parameters), forward);
    return chain.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : chain;
  }

  /** A deletion's times: the longest chain of deletions (in reverse dependency order). */
  private List<Duration> deletionOffsets(EmulatedStack stack) {
    if (!times.timed()) {
      return List.of();
    }
    Map<String, JsonNode> deployed = resourceMap(stack.deployed, stack.deployedParameters);
    Map<String, Duration> delete = new HashMap<>();
    String body = stack.deployed != null ? stack.deployed.body() : "";
    deployed.forEach(
        (id, node) ->
            delete.put(
                id,
                StackOperationTimes.resource(
                    stack.name, id, type(node), CloudFormationTimes.Action.DELETE, body)));
    Duration chain = StackOperationTimes.longestChain(deployed, delete);
    if (chain.compareTo(Duration.ofSeconds(1)) < 0) {
      chain = Duration.ofSeconds(1);
    }
    Instant now = clock.instant();
    operations.add(new Operation(stack.name, "DeleteStack", now, now.plus(chain)));
    return List.of(Duration.ZERO, chain);
  }

  // ---------------------------------------------------------------------------------------------
  // DescribeStacks / DeleteStack / GetTemplate / stack policy

  @Override
  public synchronized DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
    calls.record("DescribeStacks", request);
    List<EmulatedStack> selected = new ArrayList<>();
    if (request.stackName() == null) {
      for (EmulatedStack s : stacks.values()) {
        if (s.status != StackStatus.DELETE_COMPLETE) {
          selected.add(s);
        }
      }
    } else {
      EmulatedStack s =
          request.stackName().startsWith("arn:")
              ? stacks.get(request.stackName())
              : liveStack(request.stackName());
      if (s == null) {
        throw stackNotFound(request.stackName());
      }
      selected.add(s);
    }
    List<Stack> out = new ArrayList<>();
    for (EmulatedStack s : selected) {
      s.observe(faults.hanging(s.name), clock.instant());
      out.add(s.toStack());
    }
    return DescribeStacksResponse.builder().stacks(out).build();
  }

  @Override
  public DescribeStacksResponse describeStacks() {
    return describeStacks(DescribeStacksRequest.builder().build());
  }

  @Override
  public synchronized DeleteStackResponse deleteStack(DeleteStackRequest request) {
    calls.record("DeleteStack", request);
    String name = required(request.stackName(), "stackName");
    EmulatedStack stack = name.startsWith("arn:") ? stacks.get(name) : liveStack(name);
    if (stack == null
        || stack.status == StackStatus.DELETE_COMPLETE
        || stack.status == StackStatus.DELETE_IN_PROGRESS) {
      return DeleteStackResponse.builder().build(); // deleting nothing succeeds, as the API does
    }
    if (stack.progress != null) {
      throw validation(
          "Stack [" + stack.name + "] cannot be deleted while in status " + stack.status);
    }
    // DeleteStack: "The stack can't be deleted while termination protection is enabled"; the
    // service's message names the stack by its ID.
    if (stack.terminationProtection) {
      throw validation(
          "Stack [" + stack.id + "] cannot be deleted while TerminationProtection is enabled");
    }
    String injected = faults.nextDeletionFailure(stack.name);
    String reason =
        injected != null ? injected : exportInUse(stack, tree(stack), Map.of(), tree(stack));
    changeSets.values().removeIf(cs -> cs.stack == stack);
    stack.operationSequence++;
    if (reason == null) {
      // An export still imported stops the deletion before any resource is deleted.
      reportDeletion(stack, request.roleARN() != null ? request.roleARN() : stack.roleArn);
    }
    stack.start(
        reason == null
            ? List.of(StackStatus.DELETE_IN_PROGRESS, StackStatus.DELETE_COMPLETE)
            : List.of(StackStatus.DELETE_IN_PROGRESS, StackStatus.DELETE_FAILED),
        deletionOffsets(stack),
        "User Initiated",
        reason,
        () -> {
          if (reason == null) {
            for (EmulatedStack nested : tree(stack)) {
              if (nested != stack) {
                deleted(nested);
              }
            }
            stack.deployed = null;
            stack.physicalIds.clear();
            stack.deletionTime = clock.instant();
            unexport(stack);
          }
        },
        clock);
    return DeleteStackResponse.builder().build();
  }

  /**
   * {@code UpdateTerminationProtection}: sets {@code EnableTerminationProtection} of a live stack
   * (API reference: "Updates termination protection for the specified stack"), as {@code cdk
   * deploy} does after a deploy; answers the stack's ID. A stack that does not exist is a
   * ValidationError.
   */
  @Override
  public synchronized software.amazon.awssdk.services.cloudformation.model
          .UpdateTerminationProtectionResponse
      updateTerminationProtection(
          software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionRequest
              request) {
    calls.record("UpdateTerminationProtection", request);
    String name = required(request.stackName(), "stackName");
    EmulatedStack stack = name.startsWith("arn:") ? stacks.get(name) : liveStack(name);
    if (stack == null || stack.status == StackStatus.DELETE_COMPLETE) {
      throw stackNotFound(name);
    }
    if (request.enableTerminationProtection() == null) {
      required(null, "enableTerminationProtection");
    }
    stack.terminationProtection = request.enableTerminationProtection();
    return software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionResponse
        .builder()
        .stackId(stack.id)
        .build();
  }

  @Override
  public synchronized GetTemplateResponse getTemplate(GetTemplateRequest request) {
    calls.record("GetTemplate", request);
    Template t;
    if (request.changeSetName() != null) {
      t = changeSet(request.changeSetName(), request.stackName()).template;
    } else {
      String name = required(request.stackName(), "stackName");
      EmulatedStack s = name.startsWith("arn:") ? stacks.get(name) : liveStack(name);
      if (s == null || s.status == StackStatus.REVIEW_IN_PROGRESS) {
        throw stackNotFound(name);
      }
      t = s.deployed != null ? s.deployed : s.attempted;
    }
    return GetTemplateResponse.builder()
        .templateBody(t.body)
        .stagesAvailable(TemplateStage.ORIGINAL, TemplateStage.PROCESSED)
        .build();
  }

  @Override
  public synchronized SetStackPolicyResponse setStackPolicy(SetStackPolicyRequest request) {
    calls.record("SetStackPolicy", request);
    EmulatedStack s = existingStack(request.stackName());
    if (request.stackPolicyURL() != null) {
      throw new UnsupportedOperationException("CloudFormationEmulator: StackPolicyURL");
    }
    String body = required(request.stackPolicyBody(), "stackPolicyBody");
    try {
      JsonNode policy = JSON.readTree(body);
      if (!policy.path("Statement").isArray()) {
        throw validation("Error validating stack policy: Missing required field Statement");
      }
    } catch (JsonProcessingException e) {
      throw validation("Error validating stack policy: Invalid stack policy JSON");
    }
    s.policyBody = body;
    return SetStackPolicyResponse.builder().build();
  }

  @Override
  public synchronized GetStackPolicyResponse getStackPolicy(GetStackPolicyRequest request) {
    calls.record("GetStackPolicy", request);
    EmulatedStack s = existingStack(request.stackName());
    return GetStackPolicyResponse.builder().stackPolicyBody(s.policyBody).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Drift

  @Override
  public synchronized DetectStackDriftResponse detectStackDrift(DetectStackDriftRequest request) {
    calls.record("DetectStackDrift", request);
    EmulatedStack s = existingStack(request.stackName());
    EmulatedDrift d = new EmulatedDrift(nextUuid(), s);
    d.failureReason = faults.nextDriftDetectionFailure(s.name);
    Set<String> marked = faults.drifted(s.name);
    Set<String> present = new TreeSet<>();
    if (s.deployed != null) {
      s.deployed.resources().forEachRemaining(e -> present.add(e.getKey()));
    }
    present.retainAll(marked);
    d.driftedResources = present.size();
    d.progress =
        new Progress<>(
            List.of(
                StackDriftDetectionStatus.DETECTION_IN_PROGRESS,
                d.failureReason == null
                    ? StackDriftDetectionStatus.DETECTION_COMPLETE
                    : StackDriftDetectionStatus.DETECTION_FAILED),
            List.of());
    d.timestamp = clock.instant();
    drifts.put(d.id, d);
    return DetectStackDriftResponse.builder().stackDriftDetectionId(d.id).build();
  }

  @Override
  public synchronized DescribeStackDriftDetectionStatusResponse describeStackDriftDetectionStatus(
      DescribeStackDriftDetectionStatusRequest request) {
    calls.record("DescribeStackDriftDetectionStatus", request);
    EmulatedDrift d =
        drifts.get(required(request.stackDriftDetectionId(), "stackDriftDetectionId"));
    if (d == null) {
      throw validation(
          "Stack drift detection with id [" + request.stackDriftDetectionId() + "] does not exist");
    }
    // Drift detection takes time in CloudFormation (tens of seconds for a small stack): it stays
    // DETECTION_IN_PROGRESS until driftDetectionTime has passed on the clock.
    // With no duration (a fixed clock in a unit test) each poll advances one step instead.
    StackDriftDetectionStatus status;
    if (driftDetectionTime.isZero()) {
      status = d.progress.observe(clock.instant());
    } else {
      if (!clock.instant().isBefore(d.timestamp.plus(driftDetectionTime))) {
        while (!d.progress.done()) {
          d.progress.observe(clock.instant());
        }
      }
      status = d.progress.current();
    }
    DescribeStackDriftDetectionStatusResponse.Builder b =
        DescribeStackDriftDetectionStatusResponse.builder()
            .stackId(d.stack.id)
            .stackDriftDetectionId(d.id)
            .detectionStatus(status)
            .timestamp(d.timestamp);
    if (status == StackDriftDetectionStatus.DETECTION_COMPLETE) {
      StackDriftStatus drift =
          d.driftedResources > 0 ? StackDriftStatus.DRIFTED : StackDriftStatus.IN_SYNC;
      b.stackDriftStatus(drift).driftedStackResourceCount(d.driftedResources);
      d.stack.driftStatus = drift;
      d.stack.lastDriftCheck = d.timestamp;
    } else if (status == StackDriftDetectionStatus.DETECTION_FAILED) {
      b.stackDriftStatus(StackDriftStatus.NOT_CHECKED)
          .detectionStatusReason(d.failureReason)
          .driftedStackResourceCount(0);
    }
    return b.build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  // ---------------------------------------------------------------------------------------------
  // Templates

  private Template template(CreateChangeSetRequest request, EmulatedStack stack) {
    return templates.forChangeSet(request, stack == null ? null : stack.deployed);
  }

  /**
   * The bucket and key a template URL names, or a ValidationError: see {@link
   * TemplateSource#bucketAndKey}.
   */
  static String[] bucketAndKey(String url) {
    return TemplateSource.bucketAndKey(url);
  }

  static Template parse(String body) {
    return TemplateSource.parse(body);
  }

  private Map<String, String> parameters(
      Template template, List<Parameter> given, EmulatedStack stack) {
    JsonNode declared = template.root.path("Parameters");
    Map<String, String> values = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Parameter p : given) {
      if (!declared.has(p.parameterKey())) {
        unknown.add(p.parameterKey());
        continue;
      }
      if (Boolean.TRUE.equals(p.usePreviousValue())) {
        String previous =
            stack == null || stack.deployedParameters == null
                ? null
                : stack.deployedParameters.get(p.parameterKey());
        if (previous == null) {
          throw validation(
              "Invalid input for parameter key "
                  + p.parameterKey()
                  + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template");
        }
        values.put(p.parameterKey(), previous);
      } else {
        values.put(p.parameterKey(), p.parameterValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw validation("Parameters: " + unknown + " do not exist in the template");
    }
    List<String> missing = new ArrayList<>();
    declared
        .fields()
        .forEachRemaining(
            e -> {
              if (!values.containsKey(e.getKey())) {
                JsonNode def = e.getValue().get("Default");
                if (def == null) {
                  missing.add(e.getKey());
                } else {
                  values.put(e.getKey(), def.isTextual() ? def.asText() : def.toString());
                }
              }
            });
    if (!missing.isEmpty()) {
      throw validation("Parameters: " + missing + " must have values");
    }
    return values;
  }

  private static void checkCapabilities(Template template, List<Capability> given) {
    boolean iam = false;
    boolean namedIam = false;
    Iterator<Map.Entry<String, JsonNode>> it = template.resources();
    while (it.hasNext()) {
      JsonNode r = it.next().getValue();
      if (IAM_TYPES.contains(type(r))) {
        iam = true;
        for (String p : IAM_NAME_PROPERTIES) {
          if (r.path("Properties").has(p)) {
            namedIam = true;
          }
        }
      }
    }
    if (namedIam && !given.contains(Capability.CAPABILITY_NAMED_IAM)) {
      throw insufficient("CAPABILITY_NAMED_IAM");
    }
    if (iam
        && !given.contains(Capability.CAPABILITY_IAM)
        && !given.contains(Capability.CAPABILITY_NAMED_IAM)) {
      throw insufficient("CAPABILITY_IAM");
    }
    // A macro needs no acknowledgement in a change set: "This capacity doesn't apply to creating
    // change sets, and specifying it when creating change sets has no effect." (API reference,
    // CreateChangeSet, Capabilities, CAPABILITY_AUTO_EXPAND). A nested stack whose template holds
    // one does: see nestedCapabilityFailure.
  }

  /**
   * The capability a nested stack's template needs and its parent's change set did not give, or
   * null. A nested stack is created with its parent's capabilities; CloudFormation checks them when
   * it creates the nested stack, which fails ("Requires capabilities : [CAPABILITY_AUTO_EXPAND]"
   * for a nested template with a macro, as SAM's nested applications report it:
   * aws/aws-toolkit-jetbrains#1394) and fails its parent.
   */
  private static String nestedCapabilityFailure(Template template, List<Capability> given) {
    try {
      checkCapabilities(template, given);
    } catch (InsufficientCapabilitiesException e) {
      return e.awsErrorDetails().errorMessage();
    }
    if (template.root.has("Transform") && !given.contains(Capability.CAPABILITY_AUTO_EXPAND)) {
      return "Requires capabilities : [CAPABILITY_AUTO_EXPAND]";
    }
    return null;
  }

  private static InsufficientCapabilitiesException insufficient(String capability) {
    return AwsErrors.error(
        InsufficientCapabilitiesException.builder(),
        "CloudFormation",
        "InsufficientCapabilitiesException",
        400,
        "Requires capabilities : [" + capability + "]");
  }

  // ---------------------------------------------------------------------------------------------
  // Change computation: see ChangeSetDiff

  /** Fills {@code cs.changes}; returns a failure reason, or null. */
  private String computeChanges(EmulatedChangeSet cs) {
    EmulatedStack stack = cs.stack;
    Map<String, JsonNode> before = new LinkedHashMap<>();
    if (cs.type == ChangeSetType.UPDATE && stack.deployed != null) {
      JsonNode resolved = resolve(stack.deployed.root.get("Resources"), stack.deployedParameters);
      resolved.fields().forEachRemaining(e -> before.put(e.getKey(), e.getValue()));
    }
    Map<String, JsonNode> after = new LinkedHashMap<>();
    resolve(cs.template.root.get("Resources"), cs.parameters)
        .fields()
        .forEachRemaining(e -> after.put(e.getKey(), e.getValue()));
    boolean tagsChanged =
        cs.type == ChangeSetType.UPDATE
            && !new HashSet<>(stack.tags).equals(new HashSet<>(cs.tags));

    ChangeSetDiff.Result diff =
        ChangeSetDiff.diff(cs.id, before, after, tagsChanged, stack.physicalIds);
    if (diff.failure() == null) {
      cs.changes = diff.changes();
    }
    return diff.failure();
  }

  /** Replaces {@code {"Ref": "<parameter>"}} with the parameter's value. */
  private static JsonNode resolve(JsonNode node, Map<String, String> parameters) {
    if (node == null) {
      return JSON.createObjectNode();
    }
    if (node.isObject()) {
      if (node.size() == 1 && node.has("Ref") && node.get("Ref").isTextual()) {
        String value = parameters.get(node.get("Ref").asText());
        if (value != null) {
          return TextNode.valueOf(value);
        }
      }
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), parameters)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(resolve(n, parameters)));
      return copy;
    }
    return node;
  }

  private static String type(JsonNode resource) {
    return resource.path("Type").asText();
  }

  // ---------------------------------------------------------------------------------------------
  // Resource operations: what CloudFormation's resource handlers do, for the listener

  /** The property a type takes its name from; a resource that does not set it gets one made up. */
  private static final Map<String, String> NAME_PROPERTY =
      Map.ofEntries(
          Map.entry("AWS::DynamoDB::Table", "TableName"),
          Map.entry("AWS::ECR::Repository", "RepositoryName"),
          Map.entry("AWS::Events::EventBus", "Name"),
          Map.entry("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
          Map.entry("AWS::IAM::Role", "RoleName"),
          Map.entry("AWS::Lambda::Function", "FunctionName"),
          Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
          Map.entry("AWS::S3::Bucket", "BucketName"),
          Map.entry("AWS::SNS::Topic", "TopicName"),
          Map.entry("AWS::SQS::Queue", "QueueName"),
          Map.entry("AWS::StepFunctions::StateMachine", "StateMachineName"));

  /** The longest name a type accepts (its resource reference); 255 for the others. */
  private static final Map<String, Integer> NAME_LIMIT =
      Map.of(
          "AWS::IAM::Role", 64,
          "AWS::Lambda::Function", 64,
          "AWS::S3::Bucket", 63,
          "AWS::SQS::Queue", 80,
          "AWS::StepFunctions::StateMachine", 80,
          "AWS::IAM::ManagedPolicy", 128);

  /**
   * A new resource's physical ID: the name its name property gives, otherwise one made up as
   * CloudFormation does, {@code <stackName>-<logicalId>-<SUFFIX>} ("Name type", CloudFormation User
   * Guide): a 12-character uppercase suffix, the logical ID cut first and then the stack name when
   * the whole exceeds the type's limit, lower case for a bucket. The suffix is derived from the
   * stack ID, the logical ID and the operation, so runs are reproducible. Deviation: the emulator's
   * physical ID is the name for every type (CloudFormation's is the URL for a queue, the ARN for a
   * topic, a generated ID for a REST API).
   */
  private static String newPhysicalId(EmulatedStack stack, String logicalId, JsonNode resource) {
    String type = type(resource);
    JsonNode name = resource.path("Properties").path(NAME_PROPERTY.getOrDefault(type, ""));
    if (name.isTextual()) {
      return name.asText();
    }
    String suffix =
        UUID.nameUUIDFromBytes(
                (stack.id + "/" + logicalId + "/" + stack.operationSequence)
                    .getBytes(StandardCharsets.UTF_8))
            .toString()
            .replace("-", "")
            .substring(0, 12)
            .toUpperCase(java.util.Locale.ROOT);
    int limit = NAME_LIMIT.getOrDefault(type, 255);
    String stackPart = stack.name;
    String logicalPart = logicalId;
    int over = stackPart.length() + logicalPart.length() + suffix.length() + 2 - limit;
    if (over > 0) {
      logicalPart = logicalPart.substring(0, Math.max(1, logicalPart.length() - over));
      over = stackPart.length() + logicalPart.length() + suffix.length() + 2 - limit;
    }
    if (over > 0) {
      stackPart = stackPart.substring(0, stackPart.length() - over);
    }
    String generated = stackPart + "-" + logicalPart + "-" + suffix;
    return type.equals("AWS::S3::Bucket")
        ? generated.toLowerCase(java.util.Locale.ROOT)
        : generated;
  }

  /**
   * Reports the resource operations of executing {@code cs}, in CloudFormation's order: creates and
   * updates (a replacement creates the new resource), then on success the cleanup (deletes of
   * removed and replaced resources), on failure the rollback (deletes of the resources it created,
   * updates back to the old properties). A resource whose {@code DeletionPolicy} retains it is not
   * deleted. The failure is not tied to a resource: every forward operation is reported, then the
   * rollback. On success the stack's physical IDs become the new ones at once.
   *
   * <p>The operations are reported with the change set's {@code RoleARN}; without one,
   * CloudFormation acts with the credentials of whoever called ExecuteChangeSet ("CloudFormation
   * service role", User Guide) and the listener gets {@code null}.
   */
  private void reportExecution(EmulatedStack stack, EmulatedChangeSet cs, boolean failed) {
    String role = cs.roleArn;
    Map<String, JsonNode> before = resourceMap(stack.deployed, stack.deployedParameters);
    Map<String, JsonNode> after = resourceMap(cs.template, cs.parameters);
    Map<String, String> oldIds = new LinkedHashMap<>(stack.physicalIds);
    Map<String, String> newIds = new LinkedHashMap<>(stack.physicalIds);
    List<String> created = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      switch (rc.action()) {
        case ADD -> {
          newIds.put(id, assignId(stack, id, after.get(id)));
          created.add(id);
        }
        case MODIFY -> {
          if (rc.replacement() == Replacement.TRUE) {
            newIds.put(id, assignId(stack, id, after.get(id)));
            replaced.add(id);
          } else if (rc.scope().contains(ResourceAttribute.PROPERTIES)
              || rc.scope().contains(ResourceAttribute.TAGS)) {
            updated.add(id); // a Metadata-only change calls no handler
          }
        }
        case REMOVE -> removed.add(id);
        default -> throw new IllegalStateException("unexpected action " + rc.action());
      }
    }
    // Nested stacks this execution created or updated, undone if a later resource fails.
    Deque<Runnable> undo = new ArrayDeque<>();
    Map<String, List<String>> pulled = new TreeMap<>();
    try {
      for (String id : creationOrder(after)) {
        boolean create = created.contains(id) || replaced.contains(id);
        if (!create && !updated.contains(id)) {
          continue;
        }
        report(stack, role, id, after, newIds, cs.parameters, create ? "CREATE" : "UPDATE");
        if (failed) {
          continue; // an injected failure: nothing is really created or pulled
        }
        JsonNode properties =
            resolveReferences(
                after.get(id).path("Properties"), stack, after, newIds, cs.parameters);
        List<String> images = pullImages(type(after.get(id)), properties);
        if (!images.isEmpty()) {
          pulled.put(id, images);
        }
        if (type(after.get(id)).equals(NESTED_STACK)) {
          undo.push(nestedOperation(stack, cs, id, properties, newIds.get(id), create));
        }
      }
    } catch (RuntimeException e) {
      undo.forEach(Runnable::run);
      throw e;
    }
    if (!failed) {
      for (String id : reversed(before.keySet())) {
        if ((removed.contains(id) || replaced.contains(id)) && !retained(before.get(id), false)) {
          report(stack, role, id, before, oldIds, stack.deployedParameters, "DELETE");
          if (type(before.get(id)).equals(NESTED_STACK) && stacks.containsKey(oldIds.get(id))) {
            EmulatedStack nested = stacks.get(oldIds.get(id));
            reportDeletion(nested, role);
            tree(nested).forEach(this::deleted);
          }
        }
      }
      removed.forEach(newIds::remove);
      stack.physicalIds.clear();
      stack.physicalIds.putAll(newIds);
      stack.pulledImages = pulled;
      return;
    }
    boolean creation = cs.type == ChangeSetType.CREATE;
    for (String id : reversed(after.keySet())) {
      if ((created.contains(id) || replaced.contains(id)) && !retained(after.get(id), creation)) {
        report(stack, role, id, after, newIds, cs.parameters, "DELETE");
      } else if (updated.contains(id)) {
        report(stack, role, id, before, oldIds, stack.deployedParameters, "UPDATE");
      }
    }
  }

  /**
   * Reports the deletes of {@code DeleteStack}, last resource first, as {@code roleArn}; a nested
   * stack's resources are deleted before the nested stack itself.
   */
  private void reportDeletion(EmulatedStack stack, String roleArn) {
    Map<String, JsonNode> deployed = resourceMap(stack.deployed, stack.deployedParameters);
    List<String> order = creationOrder(deployed);
    java.util.Collections.reverse(order);
    for (String id : order) {
      if (!retained(deployed.get(id), false) && stack.physicalIds.containsKey(id)) {
        if (type(deployed.get(id)).equals(NESTED_STACK)
            && stacks.containsKey(stack.physicalIds.get(id))) {
          reportDeletion(stacks.get(stack.physicalIds.get(id)), roleArn);
        }
        report(stack, roleArn, id, deployed, stack.physicalIds, stack.deployedParameters, "DELETE");
      }
    }
  }

  private void report(
      EmulatedStack stack,
      String role,
      String logicalId,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters,
      String operation) {
    JsonNode resource = resources.get(logicalId);
    JsonNode properties =
        resolveReferences(resource.path("Properties"), stack, resources, ids, parameters);
    resourceOperations.operated(
        account,
        region,
        role,
        stack.name,
        logicalId,
        type(resource),
        operation,
        ids.get(logicalId),
        properties.isMissingNode() ? JSON.createObjectNode() : properties);
  }

  private static Map<String, JsonNode> resourceMap(Template t, Map<String, String> parameters) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (t != null) {
      resolve(t.root.get("Resources"), parameters)
          .fields()
          .forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static List<String> reversed(Set<String> ids) {
    List<String> out = new ArrayList<>(ids);
    java.util.Collections.reverse(out);
    return out;
  }

  /** True if the resource's {@code DeletionPolicy} keeps it when CloudFormation would delete it. */
  private static boolean retained(JsonNode resource, boolean rollbackOfCreation) {
    String policy = resource.path("DeletionPolicy").asText("Delete");
    return policy.equals("Retain")
        || (policy.equals("RetainExceptOnCreate") && !rollbackOfCreation);
  }

  /**
   * Resolves what a resource handler would see as literals: pseudo parameters, {@code Ref} to a
   * parameter or a resource of the stack (its physical ID), {@code Fn::GetAtt} of {@code Arn} for
   * the types {@link #arn} knows, and {@code Fn::Join} once its parts are literals. Anything else
   * ({@code Fn::ImportValue}, {@code Fn::Sub}, ...) stays as written.
   */
  private JsonNode resolveReferences(
      JsonNode node,
      EmulatedStack stack,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(n -> copy.add(resolveReferences(n, stack, resources, ids, parameters)));
      return copy;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1 && node.path("Ref").isTextual()) {
      String ref = node.get("Ref").asText();
      String value =
          switch (ref) {
            case "AWS::AccountId" -> account;
            case "AWS::Region" -> region;
            case "AWS::Partition" -> region.startsWith("cn-") ? "aws-cn" : "aws";
            case "AWS::URLSuffix" ->
                region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
            case "AWS::StackName" -> stack.name;
            case "AWS::StackId" -> stack.id;
            default -> parameters.containsKey(ref) ? parameters.get(ref) : ids.get(ref);
          };
      return value == null ? node : TextNode.valueOf(value);
    }
    if (node.size() == 1 && node.has("Fn::GetAtt")) {
      JsonNode g = node.get("Fn::GetAtt");
      String[] parts =
          g.isTextual()
              ? g.asText().split("\\.", 2)
              : new String[] {g.path(0).asText(), g.path(1).asText()};
      if (parts.length == 2 && parts[1].equals("Arn") && ids.containsKey(parts[0])) {
        String arn = arn(type(resources.get(parts[0])), ids.get(parts[0]));
        if (arn != null) {
          return TextNode.valueOf(arn);
        }
      }
      // AWS::KMS::Key's KeyId attribute is the key's ID, its Ref (Template Reference).
      if (parts.length == 2
          && parts[1].equals("KeyId")
          && ids.containsKey(parts[0])
          && type(resources.get(parts[0])).equals("AWS::KMS::Key")) {
        return TextNode.valueOf(ids.get(parts[0]));
      }
      // "You use the GetAtt function with the nested stack's logical name and the name of the
      // output value in the nested stack in the format Outputs.NestedStackOutputName." (Template
      // Reference, AWS::CloudFormation::Stack)
      if (parts.length == 2
          && parts[1].startsWith("Outputs.")
          && resources.containsKey(parts[0])
          && type(resources.get(parts[0])).equals(NESTED_STACK)
          && stacks.containsKey(ids.get(parts[0]))) {
        String key = parts[1].substring("Outputs.".length());
        for (Output o : stacks.get(ids.get(parts[0])).outputs) {
          if (o.outputKey().equals(key)) {
            return TextNode.valueOf(o.outputValue());
          }
        }
      }
      if (parts.length == 2 && ids.containsKey(parts[0])) {
        JsonNode r = resources.get(parts[0]);
        String value = attribute(type(r), ids.get(parts[0]), r.path("Properties"), parts[1]);
        if (value != null) {
          return TextNode.valueOf(value);
        }
      }
      return node;
    }
    if (node.size() == 1 && node.has("Fn::ImportValue")) {
      JsonNode name =
          resolveReferences(node.get("Fn::ImportValue"), stack, resources, ids, parameters);
      StackExport e = name.isTextual() ? exports.get(name.asText()) : null;
      return e == null ? node : TextNode.valueOf(e.value());
    }
    if (node.size() == 1 && node.has("Fn::Sub")) {
      return substitute(node, stack, resources, ids, parameters);
    }
    if (node.size() == 1 && node.path("Fn::Split").isArray()) {
      JsonNode source =
          resolveReferences(node.get("Fn::Split").path(1), stack, resources, ids, parameters);
      String delimiter = node.get("Fn::Split").path(0).asText();
      if (!source.isTextual() || delimiter.isEmpty()) {
        return node;
      }
      ArrayNode parts = JSON.createArrayNode();
      for (String part : source.asText().split(Pattern.quote(delimiter), -1)) {
        parts.add(part);
      }
      return parts;
    }
    if (node.size() == 1 && node.path("Fn::Select").isArray()) {
      JsonNode index =
          resolveReferences(node.get("Fn::Select").path(0), stack, resources, ids, parameters);
      JsonNode list =
          resolveReferences(node.get("Fn::Select").path(1), stack, resources, ids, parameters);
      if (index.isValueNode() && index.asText().matches("\\d+") && list.isArray()) {
        JsonNode item = list.path(Integer.parseInt(index.asText()));
        if (item.isValueNode()) {
          return item;
        }
      }
      return node;
    }
    if (node.size() == 1 && node.path("Fn::Join").isArray()) {
      JsonNode j = node.get("Fn::Join");
      JsonNode items = resolveReferences(j.path(1), stack, resources, ids, parameters);
      List<String> parts = new ArrayList<>();
      for (JsonNode item : items) {
        if (!item.isValueNode()) {
          ObjectNode partial = JSON.createObjectNode();
          partial.set("Fn::Join", JSON.createArrayNode().add(j.path(0)).add(items));
          return partial;
        }
        parts.add(item.asText());
      }
      return TextNode.valueOf(String.join(j.path(0).asText(), parts));
    }
    ObjectNode copy = JSON.createObjectNode();
    node.fields()
        .forEachRemaining(
            e ->
                copy.set(
                    e.getKey(),
                    resolveReferences(e.getValue(), stack, resources, ids, parameters)));
    return copy;
  }

  /**
   * {@code Fn::Sub}, in its string and its {@code [string, {variables}]} forms, when every variable
   * resolves to a literal; otherwise as written. {@code ${!Literal}} stands for {@code ${Literal}}.
   */
  private JsonNode substitute(
      JsonNode node,
      EmulatedStack stack,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    JsonNode sub = node.get("Fn::Sub");
    Map<String, JsonNode> variables = new HashMap<>();
    String text;
    if (sub.isTextual()) {
      text = sub.asText();
    } else if (sub.isArray() && sub.size() == 2 && sub.get(0).isTextual()) {
      text = sub.get(0).asText();
      sub.get(1)
          .fields()
          .forEachRemaining(
              e ->
                  variables.put(
                      e.getKey(),
                      resolveReferences(e.getValue(), stack, resources, ids, parameters)));
    } else {
      return node;
    }
    Matcher m = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      JsonNode value;
      if (name.startsWith("!")) {
        value = TextNode.valueOf("${" + name.substring(1) + "}");
      } else if (variables.containsKey(name)) {
        value = variables.get(name);
      } else if (name.contains(".")) {
        ObjectNode getAtt = JSON.createObjectNode();
        String[] parts = name.split("\\.", 2);
        getAtt.set("Fn::GetAtt", JSON.createArrayNode().add(parts[0]).add(parts[1]));
        value = resolveReferences(getAtt, stack, resources, ids, parameters);
      } else {
        ObjectNode ref = JSON.createObjectNode().put("Ref", name);
        value = resolveReferences(ref, stack, resources, ids, parameters);
      }
      if (!value.isValueNode()) {
        return node;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.asText()));
    }
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  /** {@code Fn::GetAtt <resource>.Arn} of the types whose ARN follows from the name; else null. */
  private String arn(String type, String name) {
    String p = region.startsWith("cn-") ? "aws-cn" : "aws";
    return switch (type) {
      case "AWS::IAM::Role" -> "arn:" + p + ":iam::" + account + ":role/" + name;
      case "AWS::Lambda::Function" ->
          "arn:" + p + ":lambda:" + region + ":" + account + ":function:" + name;
      case "AWS::DynamoDB::Table" ->
          "arn:" + p + ":dynamodb:" + region + ":" + account + ":table/" + name;
      case "AWS::Logs::LogGroup" ->
          "arn:" + p + ":logs:" + region + ":" + account + ":log-group:" + name + ":*";
      case "AWS::SQS::Queue" -> "arn:" + p + ":sqs:" + region + ":" + account + ":" + name;
      case "AWS::S3::Bucket" -> "arn:" + p + ":s3:::" + name;
      case "AWS::ECR::Repository" ->
          "arn:" + p + ":ecr:" + region + ":" + account + ":repository/" + name;
      case "AWS::KMS::Key" -> "arn:" + p + ":kms:" + region + ":" + account + ":key/" + name;
      default -> null;
    };
  }

  /**
   * {@code Fn::GetAtt} of the attributes resource handlers take as another resource's identifier,
   * for the types whose physical ID the emulator keeps as the name (see {@link #newPhysicalId}), as
   * the Template Reference's "Return values" section of each type defines them; else null.
   * Deviation: a generated ID is the emulator's physical ID, and a REST API's root resource ID is
   * derived from the API's, so it is stable and differs per API.
   */
  private String attribute(String type, String physicalId, JsonNode properties, String name) {
    String p = region.startsWith("cn-") ? "aws-cn" : "aws";
    return switch (type + "." + name) {
      // "GroupId: The group ID of the specified security group, such as sg-94b3a1f6."
      case "AWS::EC2::SecurityGroup.GroupId",
          // "AllocationId: The ID that AWS assigns to represent the allocation of the address"
          "AWS::EC2::EIP.AllocationId",
          // "ServerId: The service-assigned ID of the server that is created."
          "AWS::Transfer::Server.ServerId",
          // "Name: The name of the Amazon ECS service"
          "AWS::ECS::Service.Name",
          // "TargetGroupName: The name of the target group."
          "AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName",
          // "Name: Returns the repository's name"
          "AWS::CodeCommit::Repository.Name" ->
          physicalId;
      // "RootResourceId: The root resource ID for a RestApi resource, such as a0bc123d4e."
      case "AWS::ApiGateway::RestApi.RootResourceId" ->
          UUID.nameUUIDFromBytes(("root/" + physicalId).getBytes(StandardCharsets.UTF_8))
              .toString()
              .replace("-", "")
              .substring(0, 10);
      // "CidrBlock: The primary IPv4 CIDR block for the VPC."
      case "AWS::EC2::VPC.CidrBlock" ->
          properties.path("CidrBlock").isTextual() ? properties.get("CidrBlock").asText() : null;
      case "AWS::Events::Rule.Arn" ->
          "arn:" + p + ":events:" + region + ":" + account + ":rule/" + physicalId;
      case "AWS::CodeBuild::Project.Arn" ->
          "arn:" + p + ":codebuild:" + region + ":" + account + ":project/" + physicalId;
      case "AWS::CodeCommit::Repository.Arn" ->
          "arn:" + p + ":codecommit:" + region + ":" + account + ":" + physicalId;
      case "AWS::CodeCommit::Repository.CloneUrlHttp" ->
          "https://git-codecommit." + region + ".amazonaws.com/v1/repos/" + physicalId;
      default -> null;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Across stacks: outputs, exports and imports, nested stacks, container images

  static final String NESTED_STACK = "AWS::CloudFormation::Stack";

  /** One export of this account and region. */
  record StackExport(String name, String value, String stackId, String stackName) {}

  /** A nested stack failed: its parent's resource fails with this message, and the parent too. */
  static final class NestedStackFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NestedStackFailure(String message) {
      super(message);
    }
  }

  /**
   * Records {@code template} as deployed in {@code stack}, with its outputs and exports computed
   * from the resources' physical IDs. An output whose value the emulator cannot compute (an
   * attribute other than those {@link #resolveReferences} knows) shows the value as written, in
   * JSON, with the references it could resolve resolved: deterministic, and different whenever a
   * resource it names is replaced (deliberate deviation: CloudFormation shows the attribute's
   * value).
   */
  private void commit(EmulatedStack stack, Template template, Map<String, String> parameters) {
    stack.deployed = template;
    stack.deployedParameters = parameters;
    Map<String, JsonNode> resources = resourceMap(template, parameters);
    stack.outputs = outputs(stack, template, resources, stack.physicalIds, parameters);
    stack.imports = importNames(stack, template, resources, stack.physicalIds, parameters);
    unexport(stack);
    for (Output o : stack.outputs) {
      if (o.exportName() != null) {
        exports.put(
            o.exportName(), new StackExport(o.exportName(), o.outputValue(), stack.id, stack.name));
      }
    }
  }

  private void unexport(EmulatedStack stack) {
    exports.values().removeIf(e -> e.stackId().equals(stack.id));
  }

  /** A nested stack deleted with its parent (or removed from it): gone, with its exports. */
  private void deleted(EmulatedStack stack) {
    stack.status = StackStatus.DELETE_COMPLETE;
    stack.statusReason = null;
    stack.deployed = null;
    stack.physicalIds.clear();
    stack.deletionTime = clock.instant();
    stack.imports = Set.of();
    unexport(stack);
  }

  private List<Output> outputs(
      EmulatedStack stack,
      Template template,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    List<Output> out = new ArrayList<>();
    JsonNode declared = resolve(template.root.path("Outputs"), parameters);
    declared
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v =
                  resolveReferences(e.getValue().path("Value"), stack, resources, ids, parameters);
              Output.Builder o =
                  Output.builder()
                      .outputKey(e.getKey())
                      .outputValue(v.isValueNode() ? v.asText() : v.toString())
                      .description(e.getValue().path("Description").textValue());
              JsonNode name = e.getValue().path("Export").path("Name");
              if (!name.isMissingNode()) {
                JsonNode n = resolveReferences(name, stack, resources, ids, parameters);
                o.exportName(n.isValueNode() ? n.asText() : n.toString());
              }
              out.add(o.build());
            });
    return out;
  }

  /** The export names the template's resources and outputs import with {@code Fn::ImportValue}. */
  private Set<String> importNames(
      EmulatedStack stack,
      Template template,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    Set<String> names = new TreeSet<>();
    List<JsonNode> found = new ArrayList<>();
    collectImports(resources.values(), found);
    collectImports(List.of(resolve(template.root.path("Outputs"), parameters)), found);
    for (JsonNode arg : found) {
      JsonNode n = resolveReferences(arg, stack, resources, ids, parameters);
      names.add(n.isValueNode() ? n.asText() : n.toString());
    }
    return names;
  }

  private static void collectImports(Iterable<JsonNode> nodes, List<JsonNode> found) {
    for (JsonNode node : nodes) {
      if (node.isObject() && node.size() == 1 && node.has("Fn::ImportValue")) {
        found.add(node.get("Fn::ImportValue"));
      } else if (node.isContainerNode()) {
        collectImports(node, found);
      }
    }
  }

  /**
   * What stops an execution across stacks, or null, checked in this order:
   *
   * <ol>
   *   <li>an {@code Fn::ImportValue} of a name no stack exports: "No export named X found", as
   *       CloudFormation reports it, followed for a top-level stack by ". Rollback requested by
   *       user." (aws-cloudformation/aws-cloudformation-templates#263; for a nested stack, its
   *       parent reports "Embedded stack ... was not successfully created: No export named X
   *       found", aws-samples/aws-saas-factory-bootcamp#26);
   *   <li>an export name another stack exports: "For each AWS account, Export names must be unique
   *       within a region." (User Guide), reported as "Export with name X is already exported by
   *       stack Y" (aws-amplify/amplify-cli#1581);
   *   <li>an export other stacks import that the update removes or changes: "After another stack
   *       imports an output value, you can't delete the stack that is exporting the output value or
   *       modify the exported output value." (User Guide), reported as "Export X cannot be deleted
   *       as it is in use by Y" (aws/aws-cdk#17741) or "Cannot update export X as it is in use by
   *       Y".
   * </ol>
   */
  private String crossStackFailure(
      EmulatedStack stack,
      Template template,
      Map<String, String> parameters,
      Map<String, String> ids,
      boolean topLevel) {
    Map<String, JsonNode> resources = resourceMap(template, parameters);
    for (String name : importNames(stack, template, resources, ids, parameters)) {
      if (!exports.containsKey(name)) {
        return "No export named "
            + name
            + " found"
            + (topLevel ? ". Rollback requested by user." : "");
      }
    }
    Map<String, String> exported = new TreeMap<>();
    for (Output o : outputs(stack, template, resources, ids, parameters)) {
      if (o.exportName() != null) {
        StackExport other = exports.get(o.exportName());
        if (other != null && !other.stackId().equals(stack.id)) {
          return "Export with name "
              + o.exportName()
              + " is already exported by stack "
              + other.stackName();
        }
        exported.put(o.exportName(), o.outputValue());
      }
    }
    // The nested stacks this execution deletes (removed or replaced) take their exports along.
    List<EmulatedStack> leaving = new ArrayList<>();
    stack.physicalIds.forEach(
        (logicalId, physicalId) -> {
          EmulatedStack nested = stacks.get(physicalId);
          if (nested != null
              && stack.id.equals(nested.parentId)
              && !physicalId.equals(ids.get(logicalId))) {
            leaving.addAll(tree(nested));
          }
        });
    String failure = exportInUse(stack, List.of(stack), exported, tree(stack));
    return failure != null ? failure : exportInUse(stack, leaving, Map.of(), tree(stack));
  }

  /**
   * The failure if an export of one of {@code owners} that a stack outside {@code together} imports
   * is missing from {@code kept} or has another value there (an owner other than {@code stack}
   * keeps nothing: it is being deleted); null otherwise.
   */
  private String exportInUse(
      EmulatedStack stack,
      List<EmulatedStack> owners,
      Map<String, String> kept,
      List<EmulatedStack> together) {
    Set<String> leavingIds = new HashSet<>();
    together.forEach(s -> leavingIds.add(s.id));
    for (EmulatedStack owner : owners) {
      for (StackExport e : exports.values()) {
        if (!e.stackId().equals(owner.id)) {
          continue;
        }
        List<String> importers = importers(e.name(), leavingIds);
        if (importers.isEmpty()) {
          continue;
        }
        String users = String.join(", ", importers);
        if (owner != stack || !kept.containsKey(e.name())) {
          return "Export " + e.name() + " cannot be deleted as it is in use by " + users;
        }
        if (!kept.get(e.name()).equals(e.value())) {
          return "Cannot update export " + e.name() + " as it is in use by " + users;
        }
      }
    }
    return null;
  }

  /** The live stacks, other than {@code except}, whose deployed template imports {@code name}. */
  private List<String> importers(String name, Set<String> except) {
    List<String> out = new ArrayList<>();
    for (EmulatedStack s : stacks.values()) {
      if (s.status != StackStatus.DELETE_COMPLETE
          && !except.contains(s.id)
          && s.imports.contains(name)) {
        out.add(s.name);
      }
    }
    return out;
  }

  /** {@code stack} and its nested stacks, parents first. */
  private List<EmulatedStack> tree(EmulatedStack stack) {
    List<EmulatedStack> out = new ArrayList<>();
    out.add(stack);
    for (int i = 0; i < out.size(); i++) {
      EmulatedStack parent = out.get(i);
      for (EmulatedStack s : stacks.values()) {
        if (parent.id.equals(s.parentId) && s.status != StackStatus.DELETE_COMPLETE) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The physical IDs after {@code cs} executes, as {@link #reportExecution} assigns them. */
  private Map<String, String> plannedIds(EmulatedStack stack, EmulatedChangeSet cs) {
    Map<String, JsonNode> after = resourceMap(cs.template, cs.parameters);
    Map<String, String> ids = new LinkedHashMap<>(stack.physicalIds);
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      if (rc.action() == ChangeAction.ADD
          || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE)) {
        ids.put(id, assignId(stack, id, after.get(id)));
      } else if (rc.action() == ChangeAction.REMOVE) {
        ids.remove(id);
      }
    }
    return ids;
  }

  /**
   * A new resource's physical ID: {@link #newPhysicalId}, except for a nested stack, whose physical
   * ID is its stack ID and whose name is made up as any other resource's ({@code
   * <parent>-<logicalId>-<SUFFIX>}, as CloudFormation names nested stacks).
   */
  private String assignId(EmulatedStack stack, String logicalId, JsonNode resource) {
    String name = newPhysicalId(stack, logicalId, resource);
    if (!type(resource).equals(NESTED_STACK)) {
      return name;
    }
    return arn(
        "stack/"
            + name
            + "/"
            + UUID.nameUUIDFromBytes(
                (stack.id + "/" + logicalId + "/" + stack.operationSequence)
                    .getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Creates or updates the nested stack of {@code parent}'s resource {@code logicalId}, as
   * CloudFormation does when it creates or updates that {@code AWS::CloudFormation::Stack} resource
   * ("When you apply template changes to update a top-level stack, CloudFormation updates the
   * top-level stack and initiates an update to its nested stacks.", Template Reference,
   * AWS::CloudFormation::Stack). Its template is fetched from {@code TemplateURL} as the parent's
   * (reported to the {@link TemplateFetchListener}); it runs with the parent's capabilities, role
   * and tags; its resource operations are reported like the parent's. The nested stack completes
   * within its parent's execution: it reaches its final status at once (deviation: CloudFormation
   * shows it in progress while the parent is).
   *
   * @return what undoes it if the parent's execution fails later
   * @throws NestedStackFailure if it fails (it is then rolled back)
   */
  private Runnable nestedOperation(
      EmulatedStack parent,
      EmulatedChangeSet parentCs,
      String logicalId,
      JsonNode properties,
      String stackId,
      boolean create) {
    JsonNode url = properties.path("TemplateURL");
    if (!url.isTextual()) {
      throw new UnsupportedOperationException(
          "CloudFormationEmulator: nested stack "
              + logicalId
              + " has a TemplateURL it cannot resolve: "
              + url);
    }
    Template template;
    try {
      template = parse(templates.read(url.asText()));
    } catch (CloudFormationException e) {
      // No template, no nested stack: the parent's resource fails with the reason.
      throw new NestedStackFailure(e.awsErrorDetails().errorMessage());
    }
    EmulatedStack child = create ? null : stacks.get(stackId);
    if (child == null) {
      String name = stackId.substring(stackId.indexOf(":stack/") + 7, stackId.lastIndexOf('/'));
      child = new EmulatedStack(stackId, name);
      child.parentId = parent.id;
      child.rootId = parent.rootId != null ? parent.rootId : parent.id;
      child.status = StackStatus.CREATE_IN_PROGRESS;
      child.creationTime = clock.instant();
      stacks.put(child.id, child);
      create = true;
    }
    EmulatedChangeSet cs = new EmulatedChangeSet(arn("changeSet/nested/" + nextUuid()), "nested");
    cs.stack = child;
    cs.type = create ? ChangeSetType.CREATE : ChangeSetType.UPDATE;
    cs.tags = parentCs.tags;
    cs.capabilities = parentCs.capabilities;
    cs.roleArn = parentCs.roleArn;
    cs.template = template;
    String failure = null;
    try {
      List<Parameter> given = new ArrayList<>();
      properties
          .path("Parameters")
          .fields()
          .forEachRemaining(
              e ->
                  given.add(
                      Parameter.builder()
                          .parameterKey(e.getKey())
                          .parameterValue(
                              e.getValue().isValueNode()
                                  ? e.getValue().asText()
                                  : e.getValue().toString())
                          .build()));
      cs.parameters = parameters(cs.template, given, create ? null : child);
      failure = nestedCapabilityFailure(cs.template, cs.capabilities);
    } catch (CloudFormationException e) {
      failure = e.awsErrorDetails().errorMessage();
    }
    if (failure == null) {
      failure = computeChanges(cs);
    }
    if (failure == null) {
      failure = crossStackFailure(child, cs.template, cs.parameters, plannedIds(child, cs), false);
    }
    Template previous = child.deployed;
    Map<String, String> previousParameters = child.deployedParameters;
    Map<String, String> previousIds = new LinkedHashMap<>(child.physicalIds);
    StackStatus previousStatus = child.status;
    if (failure == null) {
      child.operationSequence++;
      try {
        reportExecution(child, cs, false);
        if (times.timed()) {
          parentCs.nestedTimes.put(
              logicalId,
              CloudFormationTimes.NESTED_STACK_BOOKKEEPING.plus(forwardChain(child, cs)));
        }
      } catch (ResourceOperationListener.Refused refused) {
        failure = "Resource handler returned message: \"" + refused.getMessage() + "\"";
      } catch (NestedStackFailure nested) {
        failure = nested.getMessage();
      }
    }
    if (failure != null) {
      child.status = create ? StackStatus.ROLLBACK_COMPLETE : StackStatus.UPDATE_ROLLBACK_COMPLETE;
      child.statusReason = failure;
      throw new NestedStackFailure(
          "Embedded stack "
              + child.id
              + " was not successfully "
              + (create ? "created" : "updated")
              + ": "
              + failure);
    }
    EmulatedStack done = child;
    done.capabilities = cs.capabilities;
    done.tags = cs.tags;
    done.roleArn = cs.roleArn;
    commit(done, cs.template, cs.parameters);
    done.status = create ? StackStatus.CREATE_COMPLETE : StackStatus.UPDATE_COMPLETE;
    done.statusReason = null;
    if (!create) {
      done.lastUpdatedTime = clock.instant();
    }
    boolean created = create;
    return () -> {
      if (created) {
        tree(done).forEach(this::deleted);
      } else {
        done.physicalIds.clear();
        done.physicalIds.putAll(previousIds);
        commit(done, previous, previousParameters);
        done.status = previousStatus;
      }
    };
  }

  /**
   * The resources in the order CloudFormation creates them: a resource after those it names in
   * {@code DependsOn}, {@code Ref}, {@code Fn::GetAtt} or {@code Fn::Sub}, otherwise in template
   * order. Deleting goes in the reverse order. A cycle (which CloudFormation refuses at validation)
   * keeps template order for the resources on it.
   */
  static List<String> creationOrder(Map<String, JsonNode> resources) {
    Map<String, Set<String>> deps = new LinkedHashMap<>();
    for (String id : resources.keySet()) {
      deps.put(id, dependencies(resources, id));
    }
    List<String> order = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    while (order.size() < resources.size()) {
      String next = null;
      for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
        if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
          next = e.getKey();
          break;
        }
      }
      if (next == null) {
        for (String id : deps.keySet()) {
          if (!placed.contains(id)) {
            next = id;
            break;
          }
        }
      }
      order.add(next);
      placed.add(next);
    }
    return order;
  }

  /**
   * The resources {@code id} depends on ({@code DependsOn}, {@code Ref}, {@code Fn::GetAtt}, {@code
   * Fn::Sub}), among {@code resources}.
   */
  static Set<String> dependencies(Map<String, JsonNode> resources, String id) {
    JsonNode resource = resources.get(id);
    Set<String> d = new TreeSet<>();
    JsonNode dependsOn = resource.path("DependsOn");
    if (dependsOn.isTextual()) {
      d.add(dependsOn.asText());
    }
    dependsOn.forEach(n -> d.add(n.asText()));
    references(resource.path("Properties"), d);
    d.retainAll(resources.keySet());
    d.remove(id);
    return d;
  }

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

  private static void references(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      if (node.path("Ref").isTextual()) {
        out.add(node.get("Ref").asText());
      }
      JsonNode g = node.path("Fn::GetAtt");
      if (g.isArray() && g.size() > 0) {
        out.add(g.get(0).asText());
      } else if (g.isTextual()) {
        out.add(g.asText().split("\\.", 2)[0]);
      }
      JsonNode sub = node.path("Fn::Sub");
      String text = sub.isTextual() ? sub.asText() : sub.path(0).asText("");
      Matcher m = SUB_VARIABLE.matcher(text);
      while (m.find()) {
        out.add(m.group(1).split("\\.", 2)[0]);
      }
    }
    node.forEach(child -> references(child, out));
  }

  private static final Pattern ECR_IMAGE =
      Pattern.compile(
          "^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)"
              + "(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$");

  /**
   * Resolves the container image a function pulls from this account's ECR to its digest ({@code
   * repository@sha256:...}), as Lambda does when CloudFormation creates or updates the function: an
   * image that is not there fails the resource with Lambda's "Source image X does not exist.
   * Provide a valid source image." (aws/aws-cdk#24648). Not checked, as in AWS: images of other
   * registries (public ones, other accounts), and a task definition's images, which ECS resolves
   * only when a task starts (a real app pushes its service's image after the deploy: see {@code
   * examples/real-apps/codepipeline-build-deploy}).
   */
  private List<String> pullImages(String type, JsonNode properties) {
    List<JsonNode> uris = new ArrayList<>();
    if (type.equals("AWS::Lambda::Function")) {
      uris.add(properties.path("Code").path("ImageUri"));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode uri : uris) {
      Matcher m = uri.isTextual() ? ECR_IMAGE.matcher(uri.asText()) : null;
      if (m == null || !m.matches() || !m.group(1).equals(account) || !m.group(2).equals(region)) {
        continue;
      }
      EcrClient registry = images;
      if (registry == null) {
        throw new UnsupportedOperationException(
            "CloudFormationEmulator: "
                + uri.asText()
                + " is in ECR of "
                + account
                + ", which has no registry: call imageRegistry");
      }
      String repository = m.group(3);
      String tag = m.group(4);
      String digest = m.group(5);
      try {
        var found =
            registry
                .describeImages(
                    r ->
                        r.registryId(account)
                            .repositoryName(repository)
                            .imageIds(
                                i -> i.imageTag(digest == null ? tag : null).imageDigest(digest)))
                .imageDetails();
        out.add(repository + "@" + found.get(0).imageDigest());
      } catch (EcrException e) {
        throw new ResourceOperationListener.Refused(
            "Source image "
                + uri.asText()
                + " does not exist. Provide a valid source image. (Service: Lambda, Status Code: 400)");
      }
    }
    return out;
  }

  /**
   * {@code {logicalId: [repository@sha256:...]}}: the images {@code stackName}'s resources pull.
   */
  public synchronized Map<String, List<String>> pulledImages(String stackName) {
    EmulatedStack s = liveStack(stackName);
    return s == null ? Map.of() : new TreeMap<>(s.pulledImages);
  }

  /** The nested stacks of {@code stackName}, by logical ID: {@code {logicalId: stackName}}. */
  public synchronized Map<String, String> nestedStacks(String stackName) {
    EmulatedStack s = liveStack(stackName);
    Map<String, String> out = new TreeMap<>();
    if (s != null && s.deployed != null) {
      s.deployed
          .resources()
          .forEachRemaining(
              e -> {
                EmulatedStack nested = stacks.get(s.physicalIds.get(e.getKey()));
                if (type(e.getValue()).equals(NESTED_STACK) && nested != null) {
                  out.put(e.getKey(), nested.name);
                }
              });
    }
    return out;
  }

  @Override
  public synchronized ListExportsResponse listExports(ListExportsRequest request) {
    calls.record("ListExports", request);
    List<Export> out = new ArrayList<>();
    exports
        .values()
        .forEach(
            e ->
                out.add(
                    Export.builder()
                        .exportingStackId(e.stackId())
                        .name(e.name())
                        .value(e.value())
                        .build()));
    return ListExportsResponse.builder().exports(out).build();
  }

  @Override
  public synchronized ListImportsResponse listImports(ListImportsRequest request) {
    calls.record("ListImports", request);
    String name = required(request.exportName(), "exportName");
    List<String> importing = importers(name, Set.of());
    if (importing.isEmpty()) {
      throw validation("Export '" + name + "' is not imported by any stack.");
    }
    return ListImportsResponse.builder().imports(importing).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Lookup and errors

  private EmulatedStack liveStack(String nameOrId) {
    if (nameOrId == null) {
      return null;
    }
    if (nameOrId.startsWith("arn:")) {
      EmulatedStack s = stacks.get(nameOrId);
      return s == null || s.status == StackStatus.DELETE_COMPLETE ? null : s;
    }
    EmulatedStack found = null;
    for (EmulatedStack s : stacks.values()) {
      if (s.name.equals(nameOrId) && s.status != StackStatus.DELETE_COMPLETE) {
        found = s;
      }
    }
    return found;
  }

  private EmulatedStack existingStack(String nameOrId) {
    EmulatedStack s = liveStack(required(nameOrId, "stackName"));
    if (s == null) {
      throw stackNotFound(nameOrId);
    }
    return s;
  }

  private EmulatedChangeSet changeSet(String nameOrId, String stackName) {
    required(nameOrId, "changeSetName");
    if (nameOrId.startsWith("arn:")) {
      EmulatedChangeSet cs = changeSets.get(nameOrId);
      if (cs == null) {
        throw changeSetNotFound(nameOrId);
      }
      return cs;
    }
    if (stackName == null) {
      throw validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    EmulatedStack stack = liveStack(stackName);
    if (stack != null) {
      for (EmulatedChangeSet cs : changeSets.values()) {
        if (cs.stack == stack && cs.name.equals(nameOrId)) {
          return cs;
        }
      }
    }
    throw changeSetNotFound(nameOrId);
  }

  private static boolean updatable(StackStatus s) {
    return s == StackStatus.CREATE_COMPLETE
        || s == StackStatus.UPDATE_COMPLETE
        || s == StackStatus.UPDATE_ROLLBACK_COMPLETE
        || s == StackStatus.IMPORT_COMPLETE
        || s == StackStatus.IMPORT_ROLLBACK_COMPLETE;
  }

  private static String required(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw validation(
          "1 validation error detected: Value null at '"
              + field
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static void checkName(String name, String field) {
    if (name.length() > 128 || !NAME.matcher(name).matches()) {
      throw validation(
          "1 validation error detected: Value '"
              + name
              + "' at '"
              + field
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
    }
  }

  static CloudFormationException validation(String message) {
    return AwsErrors.error(
        CloudFormationException.builder(), "CloudFormation", "ValidationError", 400, message);
  }

  private static CloudFormationException stackNotFound(String name) {
    return validation("Stack with id " + name + " does not exist");
  }

  private static ChangeSetNotFoundException changeSetNotFound(String name) {
    return AwsErrors.error(
        ChangeSetNotFoundException.builder(),
        "CloudFormation",
        "ChangeSetNotFound",
        404,
        "ChangeSet [" + name + "] does not exist");
  }

  private static InvalidChangeSetStatusException invalidChangeSetStatus(String message) {
    return AwsErrors.error(
        InvalidChangeSetStatusException.builder(),
        "CloudFormation",
        "InvalidChangeSetStatus",
        400,
        message);
  }

  private String arn(String resource) {
    return "arn:aws:cloudformation:" + region + ":" + account + ":" + resource;
  }

  private String nextUuid() {
    return UUID.nameUUIDFromBytes(
            (account + "/" + region + "/" + (++sequence)).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static List<Parameter> parameterList(Map<String, String> values) {
    List<Parameter> out = new ArrayList<>();
    if (values != null) {
      values.forEach(
          (k, v) -> out.add(Parameter.builder().parameterKey(k).parameterValue(v).build()));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /** A parsed template and its original text. */
  record Template(String body, ObjectNode root) {
    Iterator<Map.Entry<String, JsonNode>> resources() {
      return root.get("Resources").fields();
    }
  }

  /**
   * A status sequence advanced by observation: see the class comment. With {@code due} (one instant
   * per step) a step is reached when its instant has come; without, each observation after the
   * first advances one step.
   */
  static final class Progress<S> {
    private final List<S> steps;
    private final List<Instant> due;
    private int cursor = -1;

    Progress(List<S> steps, List<Instant> due) {
      if (!due.isEmpty() && due.size() != steps.size()) {
        throw new IllegalArgumentException("one instant per step");
      }
      this.steps = List.copyOf(steps);
      this.due = List.copyOf(due);
    }

    /** Returns the current status, advancing as the model says. */
    S observe(Instant now) {
      if (due.isEmpty()) {
        if (cursor < steps.size() - 1) {
          cursor++;
        }
        return current();
      }
      while (cursor < steps.size() - 1 && !now.isBefore(due.get(cursor + 1))) {
        cursor++;
      }
      cursor = Math.max(cursor, 0);
      return current();
    }

    S current() {
      return steps.get(Math.max(cursor, 0));
    }

    boolean done() {
      return cursor == steps.size() - 1;
    }
  }

  private static final class EmulatedChangeSet {
    final String id;
    final String name;
    EmulatedStack stack;
    ChangeSetType type;
    Template template;
    Map<String, String> parameters;
    List<Tag> tags;
    List<Capability> capabilities;
    List<String> notificationArns;
    String roleArn;
    String clientToken;
    String description;
    Instant creationTime;
    Progress<ChangeSetStatus> progress;
    String failureReason;
    List<Change> changes = List.of();
    // A nested stack's modelled time in this execution, by its logical ID: see forwardChain.
    final Map<String, Duration> nestedTimes = new HashMap<>();
    boolean executed;
    boolean executionFailed;
    boolean obsolete;
    String executeToken;

    EmulatedChangeSet(String id, String name) {
      this.id = id;
      this.name = name;
    }

    ChangeSetStatus status() {
      return progress.current();
    }

    ExecutionStatus executionStatus() {
      if (executed) {
        if (stack.progress != null && stack.changeSetId.equals(id)) {
          return ExecutionStatus.EXECUTE_IN_PROGRESS;
        }
        return executionFailed ? ExecutionStatus.EXECUTE_FAILED : ExecutionStatus.EXECUTE_COMPLETE;
      }
      if (obsolete) {
        return ExecutionStatus.OBSOLETE;
      }
      return status() == ChangeSetStatus.CREATE_COMPLETE
          ? ExecutionStatus.AVAILABLE
          : ExecutionStatus.UNAVAILABLE;
    }
  }

  private static final class EmulatedStack {
    final String id;
    final String name;
    StackStatus status;
    String statusReason;
    Instant creationTime;
    Instant lastUpdatedTime;
    Instant deletionTime;
    Template deployed;
    Map<String, String> deployedParameters = Map.of();
    Template attempted;
    Map<String, String> parametersAttempted = Map.of();
    List<Tag> tags = List.of();
    List<Capability> capabilities = List.of();
    List<String> notificationArns = List.of();
    boolean terminationProtection;
    String roleArn;
    String changeSetId;
    String policyBody;
    // Physical IDs of the deployed resources, by logical ID: see newPhysicalId.
    final Map<String, String> physicalIds = new LinkedHashMap<>();
    StackDriftStatus driftStatus = StackDriftStatus.NOT_CHECKED;
    Instant lastDriftCheck;
    long operationSequence;
    // Set for a nested stack: its parent's and its root's stack IDs.
    String parentId;
    String rootId;
    // What the deployed template gives, computed when it is deployed: see commit.
    List<Output> outputs = List.of();
    Set<String> imports = Set.of();
    Map<String, List<String>> pulledImages = Map.of();

    // The running operation, null when the stack is in a terminal status.
    Deque<StackStatus> progress;
    // When each status in progress is reached; empty: one step per observation.
    Deque<Instant> due = new ArrayDeque<>();
    boolean observed;
    Instant startedAt;
    String failureReason;
    String startReason;
    Runnable onDone;

    EmulatedStack(String id, String name) {
      this.id = id;
      this.name = name;
    }

    void start(
        List<StackStatus> steps,
        List<Duration> offsets,
        String startReason,
        String failureReason,
        Runnable onDone,
        Clock clock) {
      this.progress = new ArrayDeque<>(steps);
      this.due = new ArrayDeque<>();
      Instant now = clock.instant();
      offsets.forEach(o -> due.add(now.plus(o)));
      due.poll();
      this.status = progress.poll();
      this.statusReason = startReason;
      this.startReason = startReason;
      this.failureReason = failureReason;
      this.onDone = onDone;
      this.observed = false;
      this.startedAt = clock.instant();
    }

    void observe(boolean hangs, Instant now) {
      if (progress == null) {
        return;
      }
      if (!due.isEmpty()) {
        while (!hangs && progress != null && !now.isBefore(due.peek())) {
          due.poll();
          advance();
        }
        observed = true;
        return;
      }
      if (observed && !hangs) {
        advance();
      }
      observed = true;
    }

    private void advance() {
      status = progress.poll();
      statusReason = failureReason != null ? failureReason : null;
      if (progress.isEmpty()) {
        progress = null;
        onDone.run();
        onDone = null;
      }
    }

    Stack toStack() {
      Stack.Builder b =
          Stack.builder()
              .stackId(id)
              .stackName(name)
              .changeSetId(changeSetId)
              .creationTime(creationTime)
              .lastUpdatedTime(lastUpdatedTime)
              .deletionTime(deletionTime)
              .stackStatus(status)
              .stackStatusReason(statusReason)
              .parameters(
                  parameterList(deployed != null ? deployedParameters : parametersAttempted))
              .capabilities(capabilities)
              .tags(tags)
              .roleARN(roleArn)
              .notificationARNs(notificationArns)
              .enableTerminationProtection(terminationProtection)
              .driftInformation(
                  StackDriftInformation.builder()
                      .stackDriftStatus(driftStatus)
                      .lastCheckTimestamp(lastDriftCheck)
                      .build());
      if (deployed != null && progress == null) {
        b.outputs(outputs);
      }
      return b.parentId(parentId).rootId(rootId).build();
    }
  }

  private static final class EmulatedDrift {
    final String id;
    final EmulatedStack stack;
    Progress<StackDriftDetectionStatus> progress;
    String failureReason;
    int driftedResources;
    Instant timestamp;

    EmulatedDrift(String id, EmulatedStack stack) {
      this.id = id;
      this.stack = stack;
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * One emulator per account (and region), so that calls made with each environment's assumed role
   * land in that account's CloudFormation. Thread-safe.
   */
  public static final class Accounts {
    private final Clock clock;
    private final S3Client s3;
    private final String defaultRegion;
    private final Map<String, CloudFormationEmulator> fakes = new ConcurrentHashMap<>();
    private volatile TemplateFetchListener templateFetches = TemplateFetchListener.NONE;
    private volatile ResourceOperationListener resourceOperations = ResourceOperationListener.NONE;
    private volatile java.util.function.Function<String, EcrClient> registries;
    private volatile StackOperationTimes times = StackOperationTimes.stepPerDescribe();

    public Accounts(Clock clock, S3Client s3, String defaultRegion) {
      this.clock = clock;
      this.s3 = s3;
      this.defaultRegion = defaultRegion;
    }

    /** The emulator for {@code account} in the default region, created on first use. */
    public CloudFormationEmulator forAccount(String account) {
      return forAccount(account, defaultRegion);
    }

    public CloudFormationEmulator forAccount(String account, String region) {
      return fakes.computeIfAbsent(
          account + "/" + region,
          k -> {
            CloudFormationEmulator emulator =
                new CloudFormationEmulator(account, region, clock, s3);
            emulator.onTemplateFetch(templateFetches);
            emulator.onResourceOperation(resourceOperations);
            emulator.operationTimes(times);
            if (registries != null) {
              emulator.imageRegistry(registries.apply(account));
            }
            return emulator;
          });
    }

    /**
     * Each account's ECR registry ({@link CloudFormationEmulator#imageRegistry}), for the emulators
     * made so far and those made later.
     */
    public void imageRegistries(java.util.function.Function<String, EcrClient> registries) {
      this.registries = Objects.requireNonNull(registries, "registries");
      fakes.values().forEach(f -> f.imageRegistry(registries.apply(f.account())));
    }

    /**
     * Reports every account's {@code TemplateURL} fetches to {@code listener}: the emulators made
     * so far and those made later.
     */
    public void onTemplateFetch(TemplateFetchListener listener) {
      this.templateFetches = Objects.requireNonNull(listener, "listener");
      fakes.values().forEach(f -> f.onTemplateFetch(listener));
    }

    /**
     * Reports every account's resource operations to {@code listener}: the emulators made so far
     * and those made later.
     */
    public void onResourceOperation(ResourceOperationListener listener) {
      this.resourceOperations = Objects.requireNonNull(listener, "listener");
      fakes.values().forEach(f -> f.onResourceOperation(listener));
    }

    /** How long every account's operations take: the emulators made so far and those made later. */
    public void operationTimes(StackOperationTimes times) {
      this.times = Objects.requireNonNull(times, "times");
      fakes.values().forEach(f -> f.operationTimes(times));
    }

    /** {@code {"<account>/<region>": emulator}}, sorted. */
    public Map<String, CloudFormationEmulator> all() {
      return new TreeMap<>(fakes);
    }

    /** {@code {"<account>/<region>": {Operation: count}}}. */
    public Map<String, Map<String, Integer>> callCounts() {
      Map<String, Map<String, Integer>> out = new TreeMap<>();
      fakes.forEach((k, v) -> out.put(k, v.callCounts()));
      return out;
    }
  }
}
