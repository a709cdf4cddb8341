package dev.cairn.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cdk.config.CairnConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * Tools account: the six Lambdas, the {@code DeployArtifactPipeline} state machine, the S3 and
 * status-change rules, the schedules (sweeper, anchorer, DynamoDB export), the {@code
 * audit-anchor-publish} topic, the break-glass parameter, alarms and the dashboard.
 */
public final class CairnControlPlaneStack extends Stack {

  /** Typed inputs: configuration, the stateful resources, Lambda code and the ASL file. */
  public record Props(
      CairnConfig config,
      CairnStatefulStack stateful,
      LambdaArtifacts lambdaArtifacts,
      Path stateMachineDefinition) {}

  /**
   * One alarm per spec metric: statistic, period, "M out of N" ({@code datapointsToAlarm} of {@code
   * evaluationPeriods}), threshold and comparison. Each watches the metric under the contract's
   * aggregate dimension set ({@link MetricsContract}), the set the EMF adapter writes.
   */
  public record MetricAlarm(
      String metric,
      String statistic,
      Duration period,
      int evaluationPeriods,
      int datapointsToAlarm,
      double threshold,
      ComparisonOperator comparison,
      TreatMissingData missingData) {

    /** An alarm on a metric emitted when something happens: no datum means nothing happened. */
    public MetricAlarm(
        String metric,
        String statistic,
        Duration period,
        int evaluationPeriods,
        int datapointsToAlarm,
        double threshold,
        ComparisonOperator comparison) {
      this(
          metric,
          statistic,
          period,
          evaluationPeriods,
          datapointsToAlarm,
          threshold,
          comparison,
          TreatMissingData.NOT_BREACHING);
    }
  }

  /** The metric dimension contract shared with the EMF adapter (schema/metrics-contract.json). */
  public static final MetricsContract METRICS_CONTRACT = MetricsContract.load();

  private static final ComparisonOperator AT_LEAST =
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

  /**
   * The spec's metrics (Deployment Metrics and Monitoring), each with its alarm. One failed stage
   * test or prod smoke test, one failed rollback and one asset hash mismatch each put their alarm
   * in ALARM.
   */
  public static final List<MetricAlarm> METRIC_ALARMS =
      List.of(
          new MetricAlarm("DeployLatency", "Maximum", Duration.hours(1), 1, 1, 4 * 3600, AT_LEAST),
          new MetricAlarm(
              "RollbackLatency", "Maximum", Duration.minutes(15), 1, 1, 15 * 60, AT_LEAST),
          new MetricAlarm("FinalizerCorrected", "Sum", Duration.hours(1), 1, 1, 3, AT_LEAST),
          new MetricAlarm("ArtifactNeverPromoted", "Maximum", Duration.days(1), 1, 1, 1, AT_LEAST),
          // Spec: "over trailing 7d". Daily failure rate (Average of 1/0 per run), 1 of the last 7
          // days above 0: ALARM from the first failure until it is 7 days old. 7 x 1 day is
          // CloudWatch's longest evaluation range (604,800 s).
          new MetricAlarm(
              "TestFailureRate",
              "Average",
              Duration.days(1),
              7,
              1,
              0,
              ComparisonOperator.GREATER_THAN_THRESHOLD),
          new MetricAlarm("RollbackFailureRate", "Sum", Duration.minutes(5), 1, 1, 1, AT_LEAST),
          new MetricAlarm("AssetHashMismatch", "Sum", Duration.minutes(5), 1, 1, 1, AT_LEAST),
          // The anchorer is watched: it emits AnchorHeartbeat only after a run that verified the
          // chain and published, so a failing run and a silenced schedule both leave the anchor
          // period without a datum, and a missing datum breaches. One anchor period (10 min), two
          // of two: ALARM once a whole period has passed without an anchor, while a run that
          // merely lands late in its period (a schedule collapsed behind a long execution) does not
          // fire it.
          new MetricAlarm(
              "AnchorHeartbeat",
              "Sum",
              Duration.minutes(10),
              2,
              2,
              1,
              ComparisonOperator.LESS_THAN_THRESHOLD,
              TreatMissingData.BREACHING),
          // Seed 004's KPIs, gauges the anchorer publishes each run from the chain it verified
          // (docs/kpis.md; decision 2026-12-06-kpi-metrics). Each alarm fires when the target is
          // missed: the seed's targets are strict ("under"), so reaching the threshold breaches.
          // Maximum over an hour holds several anchorer runs, so one late run does not clear it;
          // no datum means no data in the window (no prod deployment), which is not a miss.
          new MetricAlarm("LeadTimeMedian", "Maximum", Duration.hours(1), 1, 1, 30 * 60, AT_LEAST),
          new MetricAlarm("ChangeFailureRate", "Maximum", Duration.hours(1), 1, 1, 5, AT_LEAST),
          new MetricAlarm(
              "MeanTimeToRestore", "Maximum", Duration.hours(1), 1, 1, 15 * 60, AT_LEAST),
          new MetricAlarm("RollbackRate", "Maximum", Duration.hours(1), 1, 1, 2, AT_LEAST));

  public static final String SWEEPER_SCHEDULE = "rate(2 minutes)";
  public static final String ANCHORER_SCHEDULE = "rate(10 minutes)";
  public static final String EXPORT_SCHEDULE = "rate(6 hours)";
  public static final String EXPORT_TARGET_ARN =
      "arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime";
  public static final int ROLLBACK_BASE_DELAY_SECONDS = 60;
  public static final int PHASE_TIMEOUT_SECONDS = 3600;

  /**
   * How long a Lambda uses one read of the trust configuration ({@code TRUST_CONFIG_TTL_SECONDS}).
   */
  public static final java.time.Duration TRUST_CONFIG_TTL = java.time.Duration.ofSeconds(60);

  /**
   * The break-glass flag as deployed: closed. Opening it is {@code
   * {"enabled":true,"expires_at":"<ISO-8601, at most 24 h away>"}} (docs/runbooks/break-glass.md).
   */
  public static final String BREAK_GLASS_OFF = "{\"enabled\":false}";

  private final Map<CairnFunction, Function> functions = new EnumMap<>(CairnFunction.class);
  private final Map<CairnFunction, Alias> aliases = new EnumMap<>(CairnFunction.class);
  private final StateMachine stateMachine;
  private final Topic anchorTopic;
  private final Topic alertTopic;
  private final EventBus eventBus;

  public CairnControlPlaneStack(Construct scope, String id, StackProps stackProps, Props props) {
    super(scope, id, stackProps);
    CairnConfig config = props.config();
    CairnStatefulStack s = props.stateful();
    String region = config.region();
    String tools = config.toolsAccount().account();
    String partition = Arns.partition(region);
    String stateMachineArn =
        "arn:"
            + partition
            + ":states:"
            + region
            + ":"
            + tools
            + ":stateMachine:"
            + CairnNames.STATE_MACHINE;
    String executionsArn =
        "arn:"
            + partition
            + ":states:"
            + region
            + ":"
            + tools
            + ":execution:"
            + CairnNames.STATE_MACHINE
            + ":*";
    RetentionDays logRetention = retention(config.logRetentionDays());

    // --- Topics. The anchor topic must have an external e-mail subscriber; config guarantees one.
    Key topicKey =
        Key.Builder.create(this, "TopicKey")
            .alias("alias/cairn-topics")
            .enableKeyRotation(true)
            .description("Encrypts the Cairn SNS topics")
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    topicKey.grant(
        new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    anchorTopic =
        Topic.Builder.create(this, "AuditAnchorPublishTopic")
            .topicName(CairnNames.ANCHOR_TOPIC)
            .masterKey(topicKey)
            .enforceSsl(true)
            .build();
    if (config.anchorEmail() == null || config.anchorEmail().isBlank()) {
      throw new IllegalStateException("audit-anchor-publish needs an external e-mail subscriber");
    }
    anchorTopic.addSubscription(new EmailSubscription(config.anchorEmail()));
    alertTopic =
        Topic.Builder.create(this, "AlertTopic").masterKey(topicKey).enforceSsl(true).build();
    for (String email : config.alertEmails()) {
      alertTopic.addSubscription(new EmailSubscription(email));
    }

    eventBus = EventBus.Builder.create(this, "CairnEventBus").eventBusName("cairn-events").build();

    // --- Parameters: break-glass flag and the control-plane policy (keys, chain, versions).
    StringParameter breakGlass =
        StringParameter.Builder.create(this, "BreakGlassParameter")
            .parameterName(CairnNames.BREAK_GLASS_PARAMETER)
            .description(
                "Break-glass flag read by the override Lambda. Setting it is itself audited; an"
                    + " override still needs a signed request.")
            .stringValue(BREAK_GLASS_OFF)
            .build();
    String policyJson = controlPlanePolicyJson(config);
    StringParameter controlPlaneConfig =
        StringParameter.Builder.create(this, "ControlPlaneConfigParameter")
            .parameterName(CairnNames.CONTROL_PLANE_CONFIG_PARAMETER)
            .description("Environment chain, trusted keys, allowed CDK CLI versions")
            .stringValue(policyJson)
            .tier(policyJson.length() > 4000 ? ParameterTier.ADVANCED : ParameterTier.STANDARD)
            .build();

    // --- Lambdas.
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("POWERTOOLS_SERVICE_NAME", CairnNames.POWERTOOLS_SERVICE);
    environment.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_CONTRACT.namespace());
    environment.put("METADATA_TABLE_NAME", s.metadataTable().getTableName());
    environment.put("AUDIT_TABLE_NAME", s.auditLogTable().getTableName());
    environment.put("RECORD_MAC_KEY_ARN", s.recordMacKey().getKeyArn());
    environment.put("IDEMPOTENCY_TABLE_NAME", s.idempotencyTable().getTableName());
    environment.put("CANDIDATE_BUCKET", s.candidateBucket().getBucketName());
    environment.put("RELEASE_BUCKET", s.releaseBucket().getBucketName());
    environment.put("CONTEXTS_BUCKET", s.contextsBucket().getBucketName());
    environment.put("AUDIT_ANCHORS_BUCKET", s.auditAnchorsBucket().getBucketName());
    environment.put("EVENT_BUS_NAME", eventBus.getEventBusName());
    environment.put("ANCHOR_TOPIC_ARN", anchorTopic.getTopicArn());
    environment.put("ALERT_TOPIC_ARN", alertTopic.getTopicArn());
    environment.put("STATE_MACHINE_ARN", stateMachineArn);
    environment.put("CONTROL_PLANE_CONFIG_PARAMETER", CairnNames.CONTROL_PLANE_CONFIG_PARAMETER);
    environment.put("BREAK_GLASS_PARAMETER", CairnNames.BREAK_GLASS_PARAMETER);
    // The trust configuration is re-read after this many seconds (SnapStart would otherwise keep
    // INIT's copy): a revoked key stops working within a minute.
    environment.put("TRUST_CONFIG_TTL_SECONDS", Long.toString(TRUST_CONFIG_TTL.toSeconds()));
    environment.put("MAX_ROLLBACK_ATTEMPTS", Integer.toString(config.maxRollbackAttempts()));
    // S3 calls carry ExpectedBucketOwner: a bucket name re-registered elsewhere is refused.
    environment.put("EXPECTED_BUCKET_OWNER", tools);
    environment.put("AWS_PARTITION", partition);

    for (CairnFunction f : CairnFunction.values()) {
      Role role =
          Role.Builder.create(this, f.pascalName() + "Role")
              .roleName(f.roleName())
              .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
              .description("Cairn " + f.moduleName() + " Lambda")
              .build();
      LogGroup logs =
          LogGroup.Builder.create(this, f.pascalName() + "Logs")
              .retention(logRetention)
              .removalPolicy(RemovalPolicy.RETAIN)
              .build();
      logs.grantWrite(role);
      Map<String, String> env = new LinkedHashMap<>(environment);
      env.put("CAIRN_FUNCTION", f.moduleName());
      if (f == CairnFunction.AUDIT_ANCHORER) {
        env.put("CLOUDTRAIL_CHANNEL_ARN", s.auditChannelArn());
      }
      if (f.hashesArtifacts()) {
        env.put("JAVA_TOOL_OPTIONS", CairnFunction.HASHING_JAVA_TOOL_OPTIONS);
      }
      if (f == CairnFunction.SWEEPER) {
        // ArtifactNeverPromoted's X days (ControlPlaneWiring.sweepUseCase).
        env.put("NEVER_PROMOTED_DAYS", Integer.toString(config.neverPromotedDays()));
      }
      Function.Builder fb =
          Function.Builder.create(this, f.pascalName() + "Function")
              .runtime(Runtime.JAVA_21)
              .handler(f.handler())
              .code(Code.fromAsset(props.lambdaArtifacts().assetFor(f).toString()))
              .memorySize(f.memoryMb())
              .timeout(Duration.seconds(f.timeoutSeconds()))
              .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
              .tracing(Tracing.ACTIVE)
              .role(role)
              .logGroup(logs)
              .environment(env)
              .description("Cairn " + f.moduleName());
      if (f == CairnFunction.SWEEPER) {
        fb.reservedConcurrentExecutions(1);
      }
      if (f == CairnFunction.REGISTRAR) {
        fb.functionName(CairnNames.REGISTRAR_FUNCTION);
      }
      Function fn = fb.build();
      Annotations.of(fn)
          .acknowledgeWarning(
              "@aws-cdk/aws-lambda:snapStartRequirePublish",
              "Versions are published through the live alias (currentVersion); every invoker"
                  + " targets the alias, so SnapStart applies.");
      functions.put(f, fn);
      aliases.put(
          f,
          Alias.Builder.create(this, f.pascalName() + "LiveAlias")
              .aliasName(CairnNames.LIVE_ALIAS)
              .version(fn.getCurrentVersion())
              .build());
      controlPlaneConfig.grantRead(role);
      eventBus.grantPutEventsTo(role);
    }
    grantLeastPrivilege(config, s, breakGlass, stateMachineArn, executionsArn);

    // --- State machine from the production ASL file.
    AslDefinition asl = AslDefinition.read(props.stateMachineDefinition());
    LogGroup sfnLogs =
        LogGroup.Builder.create(this, "PipelineLogs")
            .retention(logRetention)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    stateMachine =
        StateMachine.Builder.create(this, "DeployArtifactPipeline")
            .stateMachineName(CairnNames.STATE_MACHINE)
            .stateMachineType(StateMachineType.STANDARD)
            .definitionBody(DefinitionBody.fromString(asl.body()))
            .definitionSubstitutions(asl.substitutions(offeredSubstitutions(config, s)))
            .logs(
                LogOptions.builder()
                    .destination(sfnLogs)
                    .level(LogLevel.ALL)
                    .includeExecutionData(true)
                    .build())
            .tracingEnabled(true)
            .build();
    grantStateMachine(asl, config, s);

    // --- Rules: manifest uploads start the pipeline; status changes run the finalizer.
    // The candidate bucket's manifest starts the first environment; the release bucket's manifest
    // (written once, when the first environment promotes) starts the second. Later environments
    // are started by the sweeper. The target input is the pipeline's S3 input; the state machine
    // takes service and commit from the key
    // (docs/decisions/2026-12-06-run-what-cdk-synthesizes.md).
    List<CairnConfig.EnvironmentConfig> chain = config.environments();
    manifestRule(
        "ManifestUploadedRule",
        "S3 Object Created on a candidate artifact-manifest.json → pipeline, first environment",
        s.candidateBucket().getBucketName(),
        chain.get(0).name());
    if (chain.size() > 1) {
      manifestRule(
          "ReleaseManifestUploadedRule",
          "S3 Object Created on a released artifact-manifest.json → pipeline, second environment",
          s.releaseBucket().getBucketName(),
          chain.get(1).name());
    }
    Rule.Builder.create(this, "ExecutionStatusChangeRule")
        .description("DeployArtifactPipeline execution ended → finalizer")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.states"))
                .detailType(List.of("Step Functions Execution Status Change"))
                .detail(
                    Map.of(
                        "stateMachineArn",
                        List.of(stateMachine.getStateMachineArn()),
                        "status",
                        List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")))
                .build())
        .targets(List.of(new LambdaFunction(aliases.get(CairnFunction.FINALIZER))))
        .build();

    // A change to a trust root (the break-glass flag, the keys and chain) is audited and alerted
    // by the override Lambda; SSM puts Parameter Store Change on the default bus.
    Rule.Builder.create(this, "TrustRootChangeRule")
        .description(
            "Parameter Store Change on the break-glass flag or the trust configuration → override"
                + " Lambda (TrustRootChanged audit entry and alert)")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.ssm"))
                .detailType(List.of("Parameter Store Change"))
                .detail(
                    Map.of(
                        "name",
                        List.of(
                            CairnNames.BREAK_GLASS_PARAMETER,
                            CairnNames.CONTROL_PLANE_CONFIG_PARAMETER)))
                .build())
        .targets(List.of(new LambdaFunction(aliases.get(CairnFunction.OVERRIDE))))
        .build();

    // --- Schedules (EventBridge Scheduler).
    lambdaSchedule("SweeperSchedule", SWEEPER_SCHEDULE, CairnFunction.SWEEPER);
    lambdaSchedule("AuditAnchorerSchedule", ANCHORER_SCHEDULE, CairnFunction.AUDIT_ANCHORER);
    metadataExportSchedule(s);

    // --- Alarms and dashboard, on the dimension sets of schema/metrics-contract.json.
    List<IWidget> widgets = new ArrayList<>();
    for (MetricAlarm m : METRIC_ALARMS) {
      Metric metric =
          Metric.Builder.create()
              .namespace(METRICS_CONTRACT.namespace())
              .metricName(m.metric())
              .dimensionsMap(METRICS_CONTRACT.alarmDimensions())
              .statistic(m.statistic())
              .period(m.period())
              .build();
      Alarm alarm =
          Alarm.Builder.create(this, m.metric() + "Alarm")
              .alarmDescription(
                  "Cairn "
                      + m.metric()
                      + " "
                      + m.statistic()
                      + " "
                      + m.comparison()
                      + " "
                      + m.threshold()
                      + " in "
                      + m.datapointsToAlarm()
                      + " of "
                      + m.evaluationPeriods()
                      + " periods")
              .metric(metric)
              .threshold(m.threshold())
              .evaluationPeriods(m.evaluationPeriods())
              .datapointsToAlarm(m.datapointsToAlarm())
              .comparisonOperator(m.comparison())
              .treatMissingData(m.missingData())
              .build();
      alarm.addAlarmAction(new SnsAction(alertTopic));
      List<IMetric> lines = new ArrayList<>(List.of(metric));
      if (Boolean.TRUE.equals(METRICS_CONTRACT.metrics().get(m.metric()))) {
        lines.add(drillDown(m));
      }
      widgets.add(GraphWidget.Builder.create().title(m.metric()).left(lines).width(8).build());
    }
    Dashboard dashboard =
        Dashboard.Builder.create(this, "CairnDashboard").dashboardName("cairn").build();
    dashboard.addWidgets(widgets.toArray(IWidget[]::new));

    suppressNag();
  }

  /**
   * The per-service, per-environment lines of one metric: a SEARCH over the contract's drill-down
   * dimension set, so services and environments appear without a redeploy.
   */
  private static MathExpression drillDown(MetricAlarm m) {
    String schema =
        String.join(
            ",",
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(METRICS_CONTRACT.namespace()),
                    METRICS_CONTRACT.drillDownDimensionSet().stream())
                .toList());
    return MathExpression.Builder.create()
        .expression(
            "SEARCH('{"
                + schema
                + "} MetricName=\""
                + m.metric()
                + "\"', '"
                + m.statistic()
                + "', "
                + m.period().toSeconds().longValue()
                + ")")
        .usingMetrics(Map.of())
        .label(m.metric() + " by service and environment")
        .period(m.period())
        .build();
  }

  private void grantLeastPrivilege(
      CairnConfig config,
      CairnStatefulStack s,
      StringParameter breakGlass,
      String stateMachineArn,
      String executionsArn) {
    String region = config.region();
    List<String> deployRoles = new ArrayList<>();
    List<String> readOnlyRoles = new ArrayList<>();
    List<String> testProjects = new ArrayList<>();
    for (CairnConfig.EnvironmentConfig env : config.environments()) {
      deployRoles.add(Arns.role(region, env.account(), CairnNames.deployRole(env.name())));
      readOnlyRoles.add(Arns.role(region, env.account(), CairnNames.readOnlyRole(env.name())));
      testProjects.add(codeBuildProject(config, env.testsProject()));
    }
    // Verifier: read the artifact and the blessed context, record the verdict.
    Role verifier = role(CairnFunction.MANIFEST_VERIFIER);
    s.candidateBucket().grantRead(verifier);
    s.releaseBucket().grantRead(verifier);
    s.contextsBucket().grantRead(verifier);
    // The verification report is evidence, written beside the artifact it verified
    // ({service}/{commit_sha}/cairn-evidence/verification-report-{env}.json). Found by the
    // sandbox's IAM check: the verifier wrote it with no grant.
    // Only verification reports: the release evidence records beside them are the deployer's.
    s.candidateBucket().grantPut(verifier, "*/*/cairn-evidence/verification-report-*");
    s.releaseBucket().grantPut(verifier, "*/*/cairn-evidence/verification-report-*");
    // Assets at their destinations in the target environments.
    verifier.addToPolicy(
        allow("AssumeTargetReadOnlyRoles", List.of("sts:AssumeRole"), readOnlyRoles));
    ledgerTransitions(s, verifier);
    // Deployer: read the artifact, promote it, assume the target deploy roles.
    Role deployer = role(CairnFunction.DEPLOYER);
    s.candidateBucket().grantRead(deployer);
    // Promotion copies into the release bucket; nobody deletes from it (write-once). The deployer
    // also ends every execution, and writes its release evidence record there
    // ({service}/{commit_sha}/cairn-evidence/release-evidence-*): no other principal may.
    s.releaseBucket().grantRead(deployer);
    s.releaseBucket().grantPut(deployer);
    ledgerTransitions(s, deployer);
    // The last known good release is found by querying the service's records.
    s.metadataTable().grant(deployer, "dynamodb:Query");
    // The lease counts the signed approvals the override Lambda recorded (read only); the drift
    // gate reads a stored break_glass request and marks it used (a conditional update).
    s.idempotencyTable().grant(deployer, "dynamodb:GetItem", "dynamodb:UpdateItem");
    // The drift gate reads the break-glass flag again before using a stored request.
    breakGlass.grantRead(deployer);
    deployer.addToPolicy(allow("AssumeTargetDeployRoles", List.of("sts:AssumeRole"), deployRoles));
    // Bake alarms are read through the environment's read-only role.
    deployer.addToPolicy(
        allow("AssumeTargetReadOnlyRoles", List.of("sts:AssumeRole"), readOnlyRoles));
    // Sweeper: find due work through the sparse index, start/stop executions.
    Role sweeper = role(CairnFunction.SWEEPER);
    s.candidateBucket().grantRead(sweeper);
    s.releaseBucket().grantRead(sweeper);
    ledgerTransitions(s, sweeper);
    // Due work comes from the sparse sweep index (table/index/*).
    s.metadataTable().grant(sweeper, "dynamodb:Query");
    // It counts the signed approvals itself, and starts nothing while they are short: read only.
    s.idempotencyTable().grant(sweeper, "dynamodb:GetItem");
    sweeper.addToPolicy(
        allow("StartPipeline", List.of("states:StartExecution"), List.of(stateMachineArn)));
    sweeper.addToPolicy(
        allow(
            "WatchdogExecutions",
            List.of("states:DescribeExecution", "states:StopExecution"),
            List.of(executionsArn)));
    sweeper.addToPolicy(
        allow("ListExecutions", List.of("states:ListExecutions"), List.of(stateMachineArn)));
    // Finalizer: reconcile with the real stacks through the read-only roles.
    Role finalizer = role(CairnFunction.FINALIZER);
    // The cloud assembly names the stacks to reconcile.
    s.candidateBucket().grantRead(finalizer);
    s.releaseBucket().grantRead(finalizer);
    ledgerTransitions(s, finalizer);
    finalizer.addToPolicy(
        allow("AssumeTargetReadOnlyRoles", List.of("sts:AssumeRole"), readOnlyRoles));
    // An execution that ended before its recording step gets its release evidence from the
    // finalizer: Step Functions' own account of it (status, input, the state it last left) and a
    // write-once put of the record, only under the evidence prefix and only release-evidence-*
    // (verification reports stay the verifier's, artifacts the deployer's).
    finalizer.addToPolicy(
        allow(
            "ReadEndedExecutions",
            List.of("states:DescribeExecution", "states:GetExecutionHistory"),
            List.of(executionsArn)));
    s.releaseBucket().grantPut(finalizer, "*/*/cairn-evidence/release-evidence-*");
    finalizer.addToPolicy(
        allow(
            "ReadTestBuilds",
            List.of("codebuild:ListBuildsForProject", "codebuild:BatchGetBuilds"),
            testProjects));
    // Anchorer: read the chain head, write the anchor once, publish it.
    Role anchorer = role(CairnFunction.AUDIT_ANCHORER);
    // Reads the chain (head and entries) and checks its MACs; writes nothing to it.
    s.auditLogTable().grant(anchorer, "dynamodb:GetItem", "dynamodb:Query");
    itemReader(s, anchorer);
    // Read the previous anchor (the chain must agree with it) and list by sequence; put once.
    s.auditAnchorsBucket().grantRead(anchorer);
    s.auditAnchorsBucket().grantPut(anchorer);
    anchorTopic.grantPublish(anchorer);
    anchorer.addToPolicy(
        allow(
            "PutAnchorAuditEvents",
            List.of("cloudtrail-data:PutAuditEvents"),
            List.of(s.auditChannelArn())));
    // Override: verified operator actions.
    Role override = role(CairnFunction.OVERRIDE);
    breakGlass.grantRead(override);
    s.candidateBucket().grantRead(override);
    s.releaseBucket().grantRead(override);
    ledgerTransitions(s, override);
    // Single-use nonces (conditional put) and approvals (a set added to, then read).
    s.idempotencyTable()
        .grant(override, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");
    override.addToPolicy(
        allow("StartPipeline", List.of("states:StartExecution"), List.of(stateMachineArn)));
    alertTopic.grantPublish(override);
    // Registrar: the only creator of records. Reads the manifest CI uploaded, puts the record
    // (attribute_not_exists) and appends its audit entry; finds the service's previous commit.
    Role registrar = role(CairnFunction.REGISTRAR);
    s.candidateBucket().grantRead(registrar);
    s.metadataTable().grant(registrar, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem");
    auditAppender(s, registrar);
  }

  /**
   * A function that moves records: read the record, update it on its status and version, and append
   * the audit entry in the same transaction. No {@code PutItem} on the metadata table (only the
   * registrar creates records), no {@code DeleteItem} or {@code BatchWriteItem} anywhere.
   */
  private void ledgerTransitions(CairnStatefulStack s, Role role) {
    s.metadataTable().grant(role, "dynamodb:GetItem", "dynamodb:UpdateItem");
    auditAppender(s, role);
  }

  /**
   * Appends to the audit log: read the chain head, put the entry ({@code attribute_not_exists}) and
   * the moved head (conditioned on its sequence). Never {@code UpdateItem} or {@code DeleteItem}:
   * the audit log is append-only by IAM as well as by condition. A writer seals what it writes.
   */
  private void auditAppender(CairnStatefulStack s, Role role) {
    s.auditLogTable().grant(role, "dynamodb:GetItem", "dynamodb:PutItem");
    itemSealer(s, role);
  }

  /**
   * The control plane's writers seal every item they write with the record MAC key ({@code
   * kms:GenerateMac}) and check every item they read ({@code kms:VerifyMac}); a refused item is
   * alerted on the alert topic.
   */
  private void itemSealer(CairnStatefulStack s, Role role) {
    s.recordMacKey().grant(role, "kms:GenerateMac", "kms:VerifyMac");
    alertTopic.grantPublish(role);
  }

  /**
   * A reader of records or audit items that writes neither: it checks MACs ({@code kms:VerifyMac})
   * and alerts on a refused item, but may not produce a MAC.
   */
  private void itemReader(CairnStatefulStack s, Role role) {
    s.recordMacKey().grant(role, "kms:VerifyMac");
    alertTopic.grantPublish(role);
  }

  private Role role(CairnFunction f) {
    return (Role) functions.get(f).getRole();
  }

  private static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create()
        .sid(sid)
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(resources)
        .build();
  }

  private static String codeBuildProject(CairnConfig config, String name) {
    return "arn:"
        + Arns.partition(config.region())
        + ":codebuild:"
        + config.region()
        + ":"
        + config.toolsAccount().account()
        + ":project/"
        + name;
  }

  /** Every placeholder the ASL file may use; {@link AslDefinition} fails on any other. */
  private Map<String, String> offeredSubstitutions(CairnConfig config, CairnStatefulStack s) {
    Map<String, String> m = new LinkedHashMap<>();
    for (CairnFunction f : CairnFunction.values()) {
      m.put(f.pascalName() + "FunctionArn", aliases.get(f).getFunctionArn());
      m.put(f.pascalName() + "FunctionName", aliases.get(f).getFunctionName());
    }
    m.put("EventBusName", eventBus.getEventBusName());
    m.put("EventBusArn", eventBus.getEventBusArn());
    m.put("AlertTopicArn", alertTopic.getTopicArn());
    m.put("AnchorTopicArn", anchorTopic.getTopicArn());
    m.put("MaxRollbackAttempts", Integer.toString(config.maxRollbackAttempts()));
    m.put("RollbackBaseDelaySeconds", Integer.toString(ROLLBACK_BASE_DELAY_SECONDS));
    m.put("PhaseTimeoutSeconds", Integer.toString(PHASE_TIMEOUT_SECONDS));
    m.put("MetadataTableName", s.metadataTable().getTableName());
    m.put("AuditTableName", s.auditLogTable().getTableName());
    m.put("AuditLogTableName", s.auditLogTable().getTableName());
    m.put("IdempotencyTableName", s.idempotencyTable().getTableName());
    m.put("CandidateBucketName", s.candidateBucket().getBucketName());
    m.put("ReleaseBucketName", s.releaseBucket().getBucketName());
    m.put("Region", config.region());
    m.put("ToolsAccountId", config.toolsAccount().account());
    return m;
  }

  private void grantStateMachine(AslDefinition asl, CairnConfig config, CairnStatefulStack s) {
    for (CairnFunction f : CairnFunction.values()) {
      if (asl.placeholders().contains(f.pascalName() + "FunctionArn")
          || asl.placeholders().contains(f.pascalName() + "FunctionName")) {
        aliases.get(f).grantInvoke(stateMachine);
      }
    }
    if (asl.placeholders().contains("EventBusName") || asl.placeholders().contains("EventBusArn")) {
      eventBus.grantPutEventsTo(stateMachine);
    }
    if (asl.placeholders().contains("AlertTopicArn")) {
      alertTopic.grantPublish(stateMachine);
    }
    if (asl.placeholders().contains("AnchorTopicArn")) {
      anchorTopic.grantPublish(stateMachine);
    }
    if (asl.usesIntegration("arn:aws:states:::dynamodb:")) {
      // A record moves only with its audit entry, in one transaction the Lambdas' ledger writes;
      // a direct DynamoDB task would write one without the other.
      throw new IllegalStateException(
          "the state machine may not write DynamoDB directly: move records through a Lambda");
    }
    if (asl.usesIntegration("arn:aws:states:::codebuild:")) {
      List<String> projects = new ArrayList<>();
      for (CairnConfig.EnvironmentConfig env : config.environments()) {
        projects.add(codeBuildProject(config, env.testsProject()));
      }
      stateMachine.addToRolePolicy(
          allow(
              "RunTestProjects",
              List.of("codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"),
              projects));
      stateMachine.addToRolePolicy(
          allow(
              "CodeBuildSyncRule",
              List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"),
              List.of(
                  "arn:"
                      + Arns.partition(config.region())
                      + ":events:"
                      + config.region()
                      + ":"
                      + config.toolsAccount().account()
                      + ":rule/StepFunctionsGetEventForCodeBuildStartBuildRule")));
    }
  }

  /** An S3 {@code Object Created} rule on one bucket's manifests, starting one environment. */
  private void manifestRule(String id, String description, String bucket, String environment) {
    Rule.Builder.create(this, id)
        .description(description)
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.s3"))
                .detailType(List.of("Object Created"))
                .detail(
                    Map.of(
                        "bucket",
                        Map.of("name", List.of(bucket)),
                        "object",
                        Map.of("key", List.of(Map.of("suffix", "/" + CairnNames.MANIFEST_FILE)))))
                .build())
        .targets(
            List.of(
                SfnStateMachine.Builder.create(stateMachine)
                    .input(
                        RuleTargetInput.fromObject(
                            new java.util.LinkedHashMap<>(
                                Map.of(
                                    "trigger",
                                    "s3",
                                    "bucket",
                                    EventField.fromPath("$.detail.bucket.name"),
                                    "manifest_key",
                                    EventField.fromPath("$.detail.object.key"),
                                    "environment",
                                    environment))))
                    .build()))
        .build();
  }

  private void lambdaSchedule(String id, String expression, CairnFunction f) {
    Role role =
        Role.Builder.create(this, id + "Role")
            .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
            .build();
    aliases.get(f).grantInvoke(role);
    CfnSchedule.Builder.create(this, id)
        .description("Invokes the " + f.moduleName() + " Lambda " + expression)
        .scheduleExpression(expression)
        .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
        .target(
            CfnSchedule.TargetProperty.builder()
                .arn(aliases.get(f).getFunctionArn())
                .roleArn(role.getRoleArn())
                .retryPolicy(
                    CfnSchedule.RetryPolicyProperty.builder()
                        .maximumRetryAttempts(0)
                        .maximumEventAgeInSeconds(60)
                        .build())
                .build())
        .state("ENABLED")
        .build();
  }

  /** DynamoDB export to S3 every 6 hours via a Scheduler universal target: no Lambda. */
  private void metadataExportSchedule(CairnStatefulStack s) {
    Role role =
        Role.Builder.create(this, "MetadataExportScheduleRole")
            .assumedBy(new ServicePrincipal("scheduler.amazonaws.com"))
            .build();
    role.addToPolicy(
        allow(
            "ExportMetadataTable",
            List.of("dynamodb:ExportTableToPointInTime"),
            List.of(s.metadataTable().getTableArn())));
    role.addToPolicy(
        allow(
            "WriteExports",
            List.of("s3:PutObject", "s3:AbortMultipartUpload", "s3:PutObjectAcl"),
            List.of(
                s.metadataExportsBucket()
                    .arnForObjects(CairnNames.METADATA_EXPORTS_PREFIX + "*"))));
    role.addToPolicy(
        allow(
            "EncryptExports",
            List.of("kms:GenerateDataKey", "kms:Encrypt"),
            List.of(s.auditBucketKey().getKeyArn())));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("TableArn", s.metadataTable().getTableArn());
    input.put("S3Bucket", s.metadataExportsBucket().getBucketName());
    input.put("S3Prefix", CairnNames.METADATA_EXPORTS_PREFIX);
    input.put("S3SseAlgorithm", "KMS");
    input.put("S3SseKmsKeyId", s.auditBucketKey().getKeyArn());
    input.put("ExportFormat", "DYNAMODB_JSON");
    CfnSchedule.Builder.create(this, "MetadataExportSchedule")
        .description("Exports cdk-artifact-metadata to S3 (point in time) every 6 hours")
        .scheduleExpression(EXPORT_SCHEDULE)
        .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
        .target(
            CfnSchedule.TargetProperty.builder()
                .arn(EXPORT_TARGET_ARN)
                .roleArn(role.getRoleArn())
                .input(toJsonString(input))
                .build())
        .state("ENABLED")
        .build();
  }

  /** The id operator requests name as their audience: {@code <tools account>:<region>}. */
  public static String installationId(CairnConfig config) {
    return config.toolsAccount().account() + ":" + config.region();
  }

  private static String controlPlanePolicyJson(CairnConfig config) {
    Map<String, Object> policy = new LinkedHashMap<>();
    // The audience of operator requests: one installation per tools account and region (the
    // control plane's physical names, e.g. this parameter's, allow no second one there).
    policy.put("installation_id", installationId(config));
    policy.put("environments", config.environments());
    policy.put("trusted_signer_keys", config.trustedSignerKeys());
    policy.put("operator_keys", config.operatorKeys());
    // CONTEXT_HASH: the keys whose signature makes a context blessed (the context generator's).
    policy.put("context_signer_keys", config.contextSignerKeys());
    policy.put("allowed_cdk_cli_versions", config.allowedCdkCliVersions());
    // COMMIT_PROVENANCE: artifacts must come from the ref the CI role is bound to.
    policy.put("required_source_refs", List.of(config.github().ref()));
    // COMMIT_PROVENANCE: whether CI may assert the commit's signature instead of verifying it.
    policy.put("allow_asserted_git_signature", config.allowAssertedGitSignature());
    policy.put("max_rollback_attempts", config.maxRollbackAttempts());
    // The target accounts' CDK bootstrap: /cdk-bootstrap/<qualifier>/version is the only
    // bootstrap-version parameter the deploy role may read.
    policy.put("bootstrap_qualifier", config.bootstrapQualifier());
    try {
      return new ObjectMapper().writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RetentionDays retention(int days) {
    for (RetentionDays r : RetentionDays.values()) {
      if (r.name().equals(daysName(days))) {
        return r;
      }
    }
    throw new IllegalArgumentException("unsupported log retention " + days);
  }

  private static String daysName(int days) {
    return switch (days) {
      case 30 -> "ONE_MONTH";
      case 60 -> "TWO_MONTHS";
      case 90 -> "THREE_MONTHS";
      case 120 -> "FOUR_MONTHS";
      case 150 -> "FIVE_MONTHS";
      case 180 -> "SIX_MONTHS";
      case 365 -> "ONE_YEAR";
      case 400 -> "THIRTEEN_MONTHS";
      case 545 -> "EIGHTEEN_MONTHS";
      case 731 -> "TWO_YEARS";
      case 1096 -> "THREE_YEARS";
      case 1827 -> "FIVE_YEARS";
      case 2192 -> "SIX_YEARS";
      case 2557 -> "SEVEN_YEARS";
      case 2922 -> "EIGHT_YEARS";
      case 3288 -> "NINE_YEARS";
      case 3653 -> "TEN_YEARS";
      default -> "";
    };
  }

  private void suppressNag() {
    CairnNag.suppress(
        this,
        "AwsSolutions-L1",
        "The spec pins the Lambda runtime to java21 (SnapStart, Java 17 bytecode); moving to a"
            + " newer Java runtime is a deliberate, separate change.");
    CairnNag.suppress(
        this,
        "AwsSolutions-IAM5",
        "Wildcards come from grant*() object ARNs (bucket/*, table/index/*), the alias"
            + " qualifier (function:*), X-Ray (which has no resource-level permissions),"
            + " executions of the one state machine (execution:DeployArtifactPipeline:*) and"
            + " the export prefix (cdk-artifact-metadata-exports/*). No action wildcard is"
            + " granted except the read/write action groups grant*() emits.");
  }

  public Function function(CairnFunction f) {
    return functions.get(f);
  }

  public Alias alias(CairnFunction f) {
    return aliases.get(f);
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  public Topic anchorTopic() {
    return anchorTopic;
  }
}
