package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.ResourceGraph.NESTED_STACK;
import static dev.cairn.local.emulators.ResourceGraph.type;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
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
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListExportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListExportsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListImportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListImportsResponse;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionRequest;
import software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionResponse;
import software.amazon.awssdk.services.ecr.EcrClient;
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
 *   <li><b>Across stacks</b>: nested stacks ({@code ResourceProvisioner.nestedOperation}), exports
 *       and imports ({@code StackExports.crossStackFailure}), a function's container image in ECR
 *       ({@code ResourceProvisioner.pullImages}). Resources are created in dependency order ({@code
 *       ResourceGraph.creationOrder}) and deleted in reverse.
 * </ul>
 *
 * <p>This class is the SDK-facing surface: it records each call (and throws an injected call
 * failure) under its lock, then hands the request to the package-private engine; it also holds the
 * test API (inspection, failure injection). One concern per class behind it ({@code
 * docs/architecture.md}, "The CloudFormation emulator, one concern per class"): {@code StackEngine}
 * (the operations, statuses and their order), {@code StackRegistry} (stacks, change sets, exports;
 * lookups by name or ARN), {@code ChangeSetInputs} (parameters, capabilities), {@link
 * ChangeSetDiff}, {@link StackPolicyEvaluator}, {@code ResourceProvisioner} (resource operations,
 * nested stacks, images), {@code IntrinsicResolver} (intrinsic functions and references), {@code
 * PhysicalIds} (physical IDs and attributes), {@code ResourceGraph} (dependency order), {@code
 * StackExports} (outputs, exports, imports), {@code StackDriftDetections}, {@code
 * StackOperationTimeline} with {@link StackOperationTimes}, {@link StackFaults}, {@code
 * CloudFormationErrors} (error shapes) and {@link TemplateSource}.
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

  private final String account;
  private final String region;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final TemplateSource templates;
  private final StackRegistry registry;
  private final StackOperationTimeline timeline;
  private final ResourceProvisioner provisioner;
  private final StackExports exports;
  private final StackDriftDetections drift;
  private final StackEngine engine;
  // Failure injection, by stack name.
  private final StackFaults faults = new StackFaults();

  /** An emulator for {@code account} in {@code region}, reading templates through {@code s3}. */
  public CloudFormationEmulator(String account, String region, Clock clock, S3Client s3) {
    if (!account.matches("\\d{12}")) {
      throw new IllegalArgumentException("account ids are 12 digits: " + account);
    }
    this.account = account;
    this.region = region;
    this.templates = new TemplateSource(account, s3);
    this.registry = new StackRegistry(account, region, clock);
    this.timeline = new StackOperationTimeline(clock);
    PhysicalIds physicalIds = new PhysicalIds(registry);
    IntrinsicResolver resolver = new IntrinsicResolver(registry, physicalIds);
    this.exports = new StackExports(registry, resolver);
    this.provisioner =
        new ResourceProvisioner(
            registry, templates, physicalIds, resolver, exports, timeline, clock);
    this.drift = new StackDriftDetections(registry, faults, clock);
    this.engine =
        new StackEngine(registry, templates, exports, provisioner, timeline, faults, clock);
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
   * ResourceOperationListener#NONE} by default. See {@code ResourceProvisioner.reportExecution}.
   */
  public void onResourceOperation(ResourceOperationListener listener) {
    provisioner.onResourceOperation(listener);
  }

  /**
   * The ECR registry of this account, which a function's container image ({@code
   * AWS::Lambda::Function} {@code Code.ImageUri}) is resolved in: see {@code
   * ResourceProvisioner.pullImages}. Until one is set, a template that pulls an image from this
   * account's ECR is refused with an {@link UnsupportedOperationException} rather than deployed
   * unchecked.
   */
  public void imageRegistry(EcrClient registry) {
    provisioner.imageRegistry(registry);
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
    EmulatedStack s = registry.liveStack(stackName);
    return s == null || s.deployed == null ? Optional.empty() : Optional.of(s.deployed.body());
  }

  /** {@code {logicalId: resourceType}} of what is deployed in {@code stackName} (empty if none). */
  public synchronized Map<String, String> deployedResources(String stackName) {
    EmulatedStack s = registry.liveStack(stackName);
    Map<String, String> out = new TreeMap<>();
    if (s != null && s.deployed != null) {
      s.deployed.resources().forEachRemaining(e -> out.put(e.getKey(), type(e.getValue())));
    }
    return out;
  }

  /** The parameter values the deployed template runs with. */
  public synchronized Map<String, String> deployedParameters(String stackName) {
    EmulatedStack s = registry.liveStack(stackName);
    return s == null || s.deployed == null ? Map.of() : new TreeMap<>(s.deployedParameters);
  }

  /** The current stack status, without advancing it (empty if no live stack has that name). */
  public synchronized Optional<StackStatus> stackStatus(String stackName) {
    EmulatedStack s = registry.liveStack(stackName);
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

  /** How long operations take: see the class comment and {@link StackOperationTimes}. */
  public synchronized void operationTimes(StackOperationTimes times) {
    timeline.times(times);
  }

  /**
   * One timed operation: {@code kind} is {@code CreateChangeSet}, {@code ExecuteChangeSet} or
   * {@code DeleteStack}; {@code end} is when it reaches its final status (as modelled: a hanging
   * stack never does).
   */
  public record Operation(String stackName, String kind, Instant start, Instant end) {}

  /** Every timed operation so far, in the order they started (empty when not timed). */
  public synchronized List<Operation> operations() {
    return timeline.operations();
  }

  /**
   * How long a drift detection stays {@code DETECTION_IN_PROGRESS} (default 30 s); zero: one poll
   * in progress, the next complete.
   */
  public synchronized void driftDetectionTime(Duration time) {
    drift.detectionTime(time);
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
    return CloudFormationErrors.throttling();
  }

  // ---------------------------------------------------------------------------------------------
  // The SDK operations: each call recorded before validation, then handed to its class

  @Override
  public synchronized CreateChangeSetResponse createChangeSet(CreateChangeSetRequest request) {
    calls.record("CreateChangeSet", request);
    return engine.createChangeSet(request);
  }

  @Override
  public synchronized DescribeChangeSetResponse describeChangeSet(
      DescribeChangeSetRequest request) {
    calls.record("DescribeChangeSet", request);
    return engine.describeChangeSet(request);
  }

  @Override
  public synchronized ListChangeSetsResponse listChangeSets(ListChangeSetsRequest request) {
    calls.record("ListChangeSets", request);
    return engine.listChangeSets(request);
  }

  @Override
  public synchronized DeleteChangeSetResponse deleteChangeSet(DeleteChangeSetRequest request) {
    calls.record("DeleteChangeSet", request);
    return engine.deleteChangeSet(request);
  }

  @Override
  public synchronized ExecuteChangeSetResponse executeChangeSet(ExecuteChangeSetRequest request) {
    calls.record("ExecuteChangeSet", request);
    return engine.executeChangeSet(request);
  }

  @Override
  public synchronized DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
    calls.record("DescribeStacks", request);
    return engine.describeStacks(request);
  }

  @Override
  public synchronized DeleteStackResponse deleteStack(DeleteStackRequest request) {
    calls.record("DeleteStack", request);
    return engine.deleteStack(request);
  }

  @Override
  public synchronized UpdateTerminationProtectionResponse updateTerminationProtection(
      UpdateTerminationProtectionRequest request) {
    calls.record("UpdateTerminationProtection", request);
    return engine.updateTerminationProtection(request);
  }

  @Override
  public synchronized GetTemplateResponse getTemplate(GetTemplateRequest request) {
    calls.record("GetTemplate", request);
    return engine.getTemplate(request);
  }

  @Override
  public synchronized SetStackPolicyResponse setStackPolicy(SetStackPolicyRequest request) {
    calls.record("SetStackPolicy", request);
    return engine.setStackPolicy(request);
  }

  @Override
  public synchronized GetStackPolicyResponse getStackPolicy(GetStackPolicyRequest request) {
    calls.record("GetStackPolicy", request);
    return engine.getStackPolicy(request);
  }

  @Override
  public synchronized ListExportsResponse listExports(ListExportsRequest request) {
    calls.record("ListExports", request);
    return exports.listExports(request);
  }

  @Override
  public synchronized ListImportsResponse listImports(ListImportsRequest request) {
    calls.record("ListImports", request);
    return exports.listImports(request);
  }

  @Override
  public synchronized DetectStackDriftResponse detectStackDrift(DetectStackDriftRequest request) {
    calls.record("DetectStackDrift", request);
    return drift.detectStackDrift(request);
  }

  @Override
  public synchronized DescribeStackDriftDetectionStatusResponse describeStackDriftDetectionStatus(
      DescribeStackDriftDetectionStatusRequest request) {
    calls.record("DescribeStackDriftDetectionStatus", request);
    return drift.describeStackDriftDetectionStatus(request);
  }

  @Override
  public DescribeStacksResponse describeStacks() {
    return describeStacks(DescribeStacksRequest.builder().build());
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}

  /**
   * The bucket and key a template URL names, or a ValidationError: see {@link
   * TemplateSource#bucketAndKey}.
   */
  static String[] bucketAndKey(String url) {
    return TemplateSource.bucketAndKey(url);
  }

  // ---------------------------------------------------------------------------------------------
  // Test API: across stacks

  /**
   * {@code {logicalId: [repository@sha256:...]}}: the images {@code stackName}'s resources pull.
   */
  public synchronized Map<String, List<String>> pulledImages(String stackName) {
    EmulatedStack s = registry.liveStack(stackName);
    return s == null ? Map.of() : new TreeMap<>(s.pulledImages);
  }

  /** The nested stacks of {@code stackName}, by logical ID: {@code {logicalId: stackName}}. */
  public synchronized Map<String, String> nestedStacks(String stackName) {
    EmulatedStack s = registry.liveStack(stackName);
    Map<String, String> out = new TreeMap<>();
    if (s != null && s.deployed != null) {
      s.deployed
          .resources()
          .forEachRemaining(
              e -> {
                EmulatedStack nested = registry.stacks.get(s.physicalIds.get(e.getKey()));
                if (type(e.getValue()).equals(NESTED_STACK) && nested != null) {
                  out.put(e.getKey(), nested.name);
                }
              });
    }
    return out;
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
