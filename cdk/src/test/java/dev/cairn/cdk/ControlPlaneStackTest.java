package dev.cairn.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cdk.config.CairnConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class ControlPlaneStackTest {

  static CairnControlPlaneStack stack;
  static Template template;
  static JsonNode json;

  @BeforeAll
  static void synth() {
    stack = TestApps.shared().controlPlane();
    template = TestApps.template(stack);
    json = TestApps.json(stack);
  }

  @Test
  void everyLambda_java21_snapStart_explicitMemoryAndTimeout_powertoolsEnv() {
    template.resourcePropertiesCountIs(
        "AWS::Lambda::Function",
        Map.of(
            "Runtime", "java21",
            "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
            "TracingConfig", Map.of("Mode", "Active"),
            "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(
                        Map.of(
                            "POWERTOOLS_SERVICE_NAME", "cairn",
                            "POWERTOOLS_METRICS_NAMESPACE", "Cairn",
                            "MAX_ROLLBACK_ATTEMPTS", "2",
                            "EXPECTED_BUCKET_OWNER", "111111111111",
                            "CONTROL_PLANE_CONFIG_PARAMETER", "/cairn/control-plane-config")))),
        CairnFunction.values().length);
    for (CairnFunction f : CairnFunction.values()) {
      template.hasResourceProperties(
          "AWS::Lambda::Function",
          Map.of(
              "Handler", f.handler(),
              "MemorySize", f.memoryMb(),
              "Timeout", f.timeoutSeconds()));
      template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", f.roleName()));
    }
    template.resourceCountIs("AWS::Lambda::Alias", CairnFunction.values().length);
  }

  @Test
  void hashingFunctions_runC2_othersKeepLambdasC1Default() {
    // Lambda's java21 runtime stops at C1, which has no SHA-256 intrinsic (70 MB/s, not 1.9 GB/s).
    for (CairnFunction f : CairnFunction.values()) {
      Map<String, Object> env =
          f.hashesArtifacts()
              ? Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=4")
              : Map.of("JAVA_TOOL_OPTIONS", Match.absent());
      template.hasResourceProperties(
          "AWS::Lambda::Function",
          Map.of(
              "Handler", f.handler(), "Environment", Map.of("Variables", Match.objectLike(env))));
    }
    assertThat(
            java.util.Arrays.stream(CairnFunction.values())
                .filter(CairnFunction::hashesArtifacts)
                .toList())
        .containsExactlyInAnyOrder(
            CairnFunction.MANIFEST_VERIFIER, CairnFunction.DEPLOYER, CairnFunction.OVERRIDE);
  }

  @Test
  void auditAnchorer_alone_putsAuditEventsOnTheStatefulStacksChannel() {
    // The spec: emit the anchor hash to CloudTrail as a custom event (CloudTrail Lake channel).
    JsonNode st =
        statementWithSid(roleLogicalId(CairnFunction.AUDIT_ANCHORER), "PutAnchorAuditEvents");
    assertThat(st.get("Action").asText()).isEqualTo("cloudtrail-data:PutAuditEvents");
    assertThat(st.get("Resource").toString())
        .contains("Fn::ImportValue")
        .contains("AuditAnchorChannel");
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            CairnFunction.AUDIT_ANCHORER.handler(),
            "Environment",
            Map.of(
                "Variables",
                Match.objectLike(
                    Map.of(
                        "CLOUDTRAIL_CHANNEL_ARN",
                        Map.of(
                            "Fn::ImportValue",
                            Match.stringLikeRegexp(".*AuditAnchorChannel.*")))))));
    for (CairnFunction f : CairnFunction.values()) {
      if (f != CairnFunction.AUDIT_ANCHORER) {
        assertThat(policyActionsOf(roleLogicalId(f)))
            .as(f.name())
            .noneMatch(a -> a.startsWith("cloudtrail-data:"));
        template.hasResourceProperties(
            "AWS::Lambda::Function",
            Map.of(
                "Handler",
                f.handler(),
                "Environment",
                Map.of(
                    "Variables",
                    Match.objectLike(Map.of("CLOUDTRAIL_CHANNEL_ARN", Match.absent())))));
      }
    }
  }

  @Test
  void sweeper_hasReservedConcurrencyOne_andOnlySweeper() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of("Handler", CairnFunction.SWEEPER.handler(), "ReservedConcurrentExecutions", 1));
    template.resourcePropertiesCountIs(
        "AWS::Lambda::Function", Map.of("ReservedConcurrentExecutions", Match.anyValue()), 1);
  }

  /** ArtifactNeverPromoted's X days reach the sweeper (ControlPlaneWiring.sweepUseCase). */
  @Test
  void sweeper_getsNeverPromotedDays_andOnlySweeper() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Handler",
            CairnFunction.SWEEPER.handler(),
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("NEVER_PROMOTED_DAYS", "7")))));
    template.resourcePropertiesCountIs(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("NEVER_PROMOTED_DAYS", Match.anyValue())))),
        1);
  }

  @Test
  void schedules_sweeperEvery2Minutes_anchorerEvery10Minutes() {
    JsonNode sweeper = schedule("rate(2 minutes)");
    assertThat(sweeper.at("/Properties/Target/Arn/Ref").asText()).contains("SweeperLiveAlias");
    JsonNode anchorer = schedule("rate(10 minutes)");
    assertThat(anchorer.at("/Properties/Target/Arn/Ref").asText())
        .contains("AuditAnchorerLiveAlias");
  }

  @Test
  void metadataExport_every6Hours_throughSchedulerUniversalTarget_noLambda() throws Exception {
    JsonNode export = schedule("rate(6 hours)");
    assertThat(export.at("/Properties/Target/Arn").asText())
        .isEqualTo("arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime");
    String input = export.at("/Properties/Target/Input").toString();
    assertThat(input)
        .contains("TableArn")
        .contains("S3Bucket")
        .contains("cdk-artifact-metadata-exports/")
        .contains("\\\"S3SseAlgorithm\\\":\\\"KMS\\\"");
    JsonNode role =
        json.at("/Resources").get(export.at("/Properties/Target/RoleArn/Fn::GetAtt/0").asText());
    assertThat(role.get("Type").asText()).isEqualTo("AWS::IAM::Role");
    assertThat(policyActionsOf(export.at("/Properties/Target/RoleArn/Fn::GetAtt/0").asText()))
        .contains("dynamodb:ExportTableToPointInTime")
        .doesNotContain("lambda:InvokeFunction");
  }

  @Test
  void anchorTopic_named_encrypted_withEmailSubscription() {
    template.hasResourceProperties(
        "AWS::SNS::Topic",
        Map.of("TopicName", "audit-anchor-publish", "KmsMasterKeyId", Match.anyValue()));
    template.hasResourceProperties(
        "AWS::SNS::Subscription",
        Map.of(
            "Protocol", "email",
            "Endpoint", "security-audit@example.com",
            "TopicArn", Map.of("Ref", Match.stringLikeRegexp("AuditAnchorPublishTopic.*"))));
  }

  @Test
  void synth_failsWithoutAnchorEmail() {
    CairnConfig c = TestApps.exampleConfig();
    assertThatThrownBy(
            () ->
                new CairnConfig(
                    c.configVersion(),
                    c.toolsAccount(),
                    c.environments(),
                    c.trustedSignerKeys(),
                    c.operatorKeys(),
                    c.allowedCdkCliVersions(),
                    c.maxRollbackAttempts(),
                    c.neverPromotedDays(),
                    c.bootstrapQualifier(),
                    " ",
                    c.alertEmails(),
                    c.github(),
                    c.bucketNames(),
                    c.securityAutomationRoleArn(),
                    c.contextLookupParameters(),
                    c.auditAnchorRetentionDays(),
                    c.metadataExportRetentionDays(),
                    c.logRetentionDays(),
                    c.cloudTrailLakeChannelArn(),
                    c.allowAssertedGitSignature(),
                    c.contextSignerKeys()))
        .hasMessageContaining("anchor_email");
  }

  /**
   * Shape only: what the rules start, and with which input, is proven by running them (the
   * sandbox's happy scenario is started by these synthesized rules through event-ruler).
   */
  @Test
  void manifestRules_oneBucketEach_transformTheEventIntoPipelineInput() {
    JsonNode candidate = resourceNamed("ManifestUploadedRule");
    JsonNode release = resourceNamed("ReleaseManifestUploadedRule");
    for (JsonNode rule : List.of(candidate, release)) {
      JsonNode pattern = rule.at("/Properties/EventPattern");
      assertThat(pattern.at("/source/0").asText()).isEqualTo("aws.s3");
      assertThat(pattern.at("/detail-type/0").asText()).isEqualTo("Object Created");
      assertThat(pattern.at("/detail/object/key/0/suffix").asText())
          .isEqualTo("/artifact-manifest.json");
      assertThat(rule.at("/Properties/Targets/0/Arn/Ref").asText())
          .startsWith("DeployArtifactPipeline");
      assertThat(rule.at("/Properties/Targets/0/InputTransformer/InputPathsMap").toString())
          .contains("$.detail.object.key", "$.detail.bucket.name");
    }
    assertThat(candidate.at("/Properties/EventPattern/detail/bucket/name").toString())
        .contains("CandidateBucket")
        .doesNotContain("ReleaseBucket");
    assertThat(release.at("/Properties/EventPattern/detail/bucket/name").toString())
        .contains("ReleaseBucket");
  }

  @Test
  void statusChangeRule_routesPipelineCompletionToFinalizer() {
    JsonNode rule = resourceNamed("ExecutionStatusChangeRule");
    JsonNode pattern = rule.at("/Properties/EventPattern");
    assertThat(pattern.at("/source/0").asText()).isEqualTo("aws.states");
    assertThat(pattern.at("/detail-type/0").asText())
        .isEqualTo("Step Functions Execution Status Change");
    assertThat(pattern.at("/detail/status").toString())
        .contains("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");
    assertThat(rule.at("/Properties/Targets/0/Arn/Ref").asText()).contains("FinalizerLiveAlias");
  }

  @Test
  void stateMachine_inlinedWithSubstitutions_loggingAndTracingOn() {
    template.hasResourceProperties(
        "AWS::StepFunctions::StateMachine",
        Map.of(
            "StateMachineName", "DeployArtifactPipeline",
            "TracingConfiguration", Map.of("Enabled", true),
            "LoggingConfiguration",
                Match.objectLike(Map.of("Level", "ALL", "IncludeExecutionData", true)),
            "DefinitionString", Match.anyValue(),
            "DefinitionSubstitutions", Match.objectLike(Map.of("MaxRollbackAttempts", "2"))));
    JsonNode sm = resourceNamed("DeployArtifactPipeline");
    assertThat(sm.at("/Properties").has("DefinitionS3Location")).isFalse();
    JsonNode subs = sm.at("/Properties/DefinitionSubstitutions");
    AslDefinition asl = AslDefinition.read(TestApps.stateMachineDefinition());
    List<String> keys = new ArrayList<>();
    subs.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrderElementsOf(asl.placeholders());
  }

  @Test
  void stateMachine_canRunTheTestProjects_whenTheAslUsesCodeBuild() {
    AslDefinition asl = AslDefinition.read(TestApps.stateMachineDefinition());
    if (asl.usesIntegration("arn:aws:states:::codebuild:")) {
      assertThat(json.toString())
          .contains("arn:aws:codebuild:us-east-1:111111111111:project/myapp-stage-tests")
          .contains("arn:aws:codebuild:us-east-1:111111111111:project/myapp-prod-smoke-tests");
    }
  }

  @Test
  void aslWithUnmappedPlaceholder_failsSynth(@TempDir Path dir) throws Exception {
    Path asl = dir.resolve("bad.asl.json");
    Files.writeString(
        asl, Files.readString(TestApps.fixtureAsl()).replace("${EventBusName}", "${NoSuchThing}"));
    assertThatThrownBy(
            () ->
                CairnApp.build(new App(), TestApps.exampleConfig(), TestApps.fixtureLambdas(), asl))
        .hasMessageContaining("NoSuchThing");
  }

  @Test
  void controlPlaneConfigParameter_carriesTheChainKeysVersionsAndRefs() throws Exception {
    JsonNode param = null;
    for (JsonNode r : json.get("Resources")) {
      if ("/cairn/control-plane-config".equals(r.at("/Properties/Name").asText())) {
        param = r;
      }
    }
    assertThat(param).isNotNull();
    JsonNode value = TestApps.JSON.readTree(param.at("/Properties/Value").asText());
    assertThat(value.at("/environments/0/name").asText()).isEqualTo("stage");
    assertThat(value.at("/environments/1/check_drift").asBoolean()).isTrue();
    assertThat(value.at("/environments/1/bake_minutes").asInt()).isEqualTo(30);
    assertThat(value.at("/trusted_signer_keys/0/key_id").asText())
        .isEqualTo("kms:alias/cdk-ci-artifact-signer");
    // Gate 6 trusts the context generator's key to bless contexts, never CI's.
    assertThat(value.at("/context_signer_keys/0/key_id").asText())
        .isEqualTo("kms:alias/cdk-context-signer");
    assertThat(value.at("/allowed_cdk_cli_versions/0").asText()).isEqualTo("2.1148.1");
    assertThat(value.at("/required_source_refs/0").asText()).isEqualTo("refs/heads/main");
    assertThat(value.at("/max_rollback_attempts").asInt()).isEqualTo(2);
    assertThat(value.at("/bootstrap_qualifier").asText()).isEqualTo("hnb659fds");
    // The installation signed approvals must name: the tools account and region.
    assertThat(value.at("/installation_id").asText()).isEqualTo("111111111111:us-east-1");
  }

  @Test
  void breakGlassParameter_existsClosed() {
    template.hasResourceProperties(
        "AWS::SSM::Parameter",
        Map.of("Name", "/cairn/break-glass", "Type", "String", "Value", "{\"enabled\":false}"));
  }

  /**
   * Shape only: that the rule routes SSM's event to the override Lambda, and that the Lambda audits
   * and alerts it, is proven by the sandbox (SsmEmulator raises the event on PutParameter).
   */
  @Test
  void trustRootChangeRule_routesBothTrustParametersToTheOverrideLambda() {
    JsonNode rule = resourceNamed("TrustRootChangeRule");
    JsonNode pattern = rule.at("/Properties/EventPattern");
    assertThat(rule.at("/Properties/EventBusName").isMissingNode()).isTrue();
    assertThat(pattern.at("/source").toString()).isEqualTo("[\"aws.ssm\"]");
    assertThat(pattern.at("/detail-type").toString()).isEqualTo("[\"Parameter Store Change\"]");
    assertThat(pattern.at("/detail/name").toString())
        .isEqualTo("[\"/cairn/break-glass\",\"/cairn/control-plane-config\"]");
    assertThat(rule.at("/Properties/Targets/0/Arn/Ref").asText()).contains("OverrideLiveAlias");
  }

  @Test
  void functions_reReadTheTrustConfigurationWithinAMinute() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of(
            "Environment",
            Map.of("Variables", Match.objectLike(Map.of("TRUST_CONFIG_TTL_SECONDS", "60")))));
  }

  @Test
  void alarmsAndDashboard_coverEverySpecMetric() {
    for (String metric :
        List.of(
            "DeployLatency",
            "RollbackLatency",
            "FinalizerCorrected",
            "ArtifactNeverPromoted",
            "TestFailureRate",
            "RollbackFailureRate",
            "AssetHashMismatch",
            "AnchorHeartbeat",
            "LeadTimeMedian",
            "ChangeFailureRate",
            "MeanTimeToRestore",
            "RollbackRate")) {
      template.hasResourceProperties(
          "AWS::CloudWatch::Alarm",
          Map.of("MetricName", metric, "Namespace", "Cairn", "AlarmActions", Match.anyValue()));
    }
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
  }

  /**
   * The defect this guards: alarms on {Service=cairn} while the adapter wrote {service,
   * environment}, so no alarm could fire. A CloudWatch metric is namespace + name + the FULL
   * dimension set; every synthesized alarm must select exactly the contract's aggregate set, the
   * set the adapter writes into every document (PowertoolsPipelineMetricsTest and the sandbox's
   * EmfContractTest check that side against the same file).
   */
  @Test
  void everyAlarm_selectsExactlyTheContractsAggregateDimensionSet() throws Exception {
    JsonNode contract =
        TestApps.JSON.readTree(
            TestApps.repoRoot().resolve("schema/metrics-contract.json").toFile());
    List<Map<String, String>> expected = new ArrayList<>();
    for (JsonNode name : contract.path("alarm_dimension_set")) {
      expected.add(
          Map.of(
              "Name", name.asText(),
              "Value", contract.path("alarm_dimensions").path(name.asText()).asText()));
    }
    List<String> alarmed = new ArrayList<>();
    for (JsonNode alarm : resources("AWS::CloudWatch::Alarm")) {
      JsonNode p = alarm.path("Properties");
      String metric = p.path("MetricName").asText();
      alarmed.add(metric);
      assertThat(contract.path("metrics").has(metric)).as(metric + " is in the contract").isTrue();
      assertThat(p.path("Namespace").asText()).isEqualTo(contract.path("namespace").asText());
      assertThat(p.has("Metrics")).as(metric + " is a plain metric alarm").isFalse();
      List<Map<String, String>> dims = new ArrayList<>();
      p.path("Dimensions")
          .forEach(
              d ->
                  dims.add(
                      Map.of("Name", d.path("Name").asText(), "Value", d.path("Value").asText())));
      assertThat(dims).as(metric + " dimensions").containsExactlyInAnyOrderElementsOf(expected);
    }
    List<String> specMetrics = new ArrayList<>();
    contract.path("metrics").fieldNames().forEachRemaining(specMetrics::add);
    assertThat(alarmed).containsExactlyInAnyOrderElementsOf(specMetrics);
    assertThat(CairnControlPlaneStack.METRICS_CONTRACT.alarmDimensions())
        .containsExactlyInAnyOrderEntriesOf(
            expected.stream()
                .collect(
                    java.util.stream.Collectors.toMap(m -> m.get("Name"), m -> m.get("Value"))));
  }

  @Test
  void dashboard_graphsTheAggregateSetAndSearchesTheDrillDownSet() {
    String body =
        resources("AWS::CloudWatch::Dashboard")
            .get(0)
            .path("Properties")
            .path("DashboardBody")
            .toString();
    assertThat(body).contains("\\\"Service\\\",\\\"cairn\\\"");
    assertThat(body).contains("SEARCH('{Cairn,Service,DeployedService,Environment} MetricName=");
    assertThat(body).doesNotContain("\\\"service\\\"", "\\\"environment\\\"");
  }

  /** One failed stage test or prod smoke test, one failed rollback, one mismatch: ALARM. */
  @Test
  void oneFailure_breachesItsAlarm() {
    for (String metric : List.of("TestFailureRate", "RollbackFailureRate", "AssetHashMismatch")) {
      JsonNode p = alarm(metric);
      double oneFailure = 1.0; // Sum of one 1, or Average of one run that failed
      assertThat(breaches(p, oneFailure)).as(metric).isTrue();
      assertThat(p.path("DatapointsToAlarm").asInt()).as(metric).isEqualTo(1);
      assertThat(p.path("TreatMissingData").asText()).isEqualTo("notBreaching");
    }
    // TestFailureRate: one failure among many passes that day still breaches (rate > 0).
    assertThat(breaches(alarm("TestFailureRate"), 1.0 / 1000)).isTrue();
    assertThat(breaches(alarm("TestFailureRate"), 0.0)).isFalse();
  }

  /**
   * The anchorer is watched: no heartbeat for a whole anchor period (a failing run emits none, a
   * silenced schedule runs none) is ALARM; a heartbeat in either of the last two periods is OK.
   */
  @Test
  void anchorHeartbeat_missingForAnAnchorPeriod_breaches() {
    JsonNode p = alarm("AnchorHeartbeat");
    assertThat(p.path("TreatMissingData").asText()).isEqualTo("breaching");
    assertThat(p.path("Period").asInt()).isEqualTo(600);
    assertThat(CairnControlPlaneStack.ANCHORER_SCHEDULE).isEqualTo("rate(10 minutes)");
    assertThat(p.path("EvaluationPeriods").asInt()).isEqualTo(2);
    assertThat(p.path("DatapointsToAlarm").asInt()).isEqualTo(2);
    assertThat(p.path("Statistic").asText()).isEqualTo("Sum");
    assertThat(breaches(p, 0.0)).isTrue();
    assertThat(breaches(p, 1.0)).isFalse();
    assertThat(p.path("AlarmActions")).isNotEmpty();
  }

  /**
   * Seed 004's targets: median lead time under 30 min, change failure rate under 5 %, MTTR under 15
   * min, rollback rate under 2 %. A value that meets the target is OK, one that reaches the
   * threshold is ALARM, and a window without data (no datum) is not a miss.
   */
  @Test
  void kpiAlarms_fireAtSeed004Thresholds() {
    Map<String, double[]> metAndMissed =
        Map.of(
            "LeadTimeMedian", new double[] {1799, 1800},
            "ChangeFailureRate", new double[] {4.99, 5},
            "MeanTimeToRestore", new double[] {899, 900},
            "RollbackRate", new double[] {1.99, 2});
    metAndMissed.forEach(
        (metric, values) -> {
          JsonNode p = alarm(metric);
          assertThat(breaches(p, values[0])).as(metric + " at " + values[0]).isFalse();
          assertThat(breaches(p, values[1])).as(metric + " at " + values[1]).isTrue();
          assertThat(p.path("TreatMissingData").asText()).as(metric).isEqualTo("notBreaching");
          assertThat(p.path("AlarmActions")).as(metric).isNotEmpty();
        });
  }

  /** Writers seal and check items; the anchorer only checks; no function gets more of the key. */
  @Test
  void recordMacKey_writersGenerateAndVerify_anchorerOnlyVerifies() {
    for (CairnFunction f : CairnFunction.values()) {
      List<String> actions = policyActionsOf(roleLogicalId(f));
      if (f == CairnFunction.AUDIT_ANCHORER) {
        assertThat(actions)
            .as(f.moduleName())
            .contains("kms:VerifyMac")
            .doesNotContain("kms:GenerateMac");
      } else {
        assertThat(actions).as(f.moduleName()).contains("kms:GenerateMac", "kms:VerifyMac");
      }
    }
    for (JsonNode fn : resources("AWS::Lambda::Function")) {
      assertThat(fn.at("/Properties/Environment/Variables/RECORD_MAC_KEY_ARN").toString())
          .contains("RecordMacKey");
    }
  }

  @Test
  void testFailureRate_coversTheTrailingSevenDays() {
    JsonNode p = alarm("TestFailureRate");
    assertThat(p.path("Statistic").asText()).isEqualTo("Average");
    assertThat(p.path("Period").asInt() * p.path("EvaluationPeriods").asInt()).isEqualTo(7 * 86400);
  }

  /** CloudWatch rejects an evaluation range over 7 days, or over 1 day for sub-hour periods. */
  @Test
  void everyAlarm_staysWithinCloudWatchsEvaluationRange() {
    for (JsonNode alarm : resources("AWS::CloudWatch::Alarm")) {
      JsonNode p = alarm.path("Properties");
      int period = p.path("Period").asInt();
      int range = period * p.path("EvaluationPeriods").asInt();
      assertThat(range)
          .as(p.path("MetricName").asText())
          .isLessThanOrEqualTo(period < 3600 ? 86400 : 604800);
      assertThat(p.path("DatapointsToAlarm").asInt())
          .isBetween(1, p.path("EvaluationPeriods").asInt());
    }
  }

  /**
   * The sandbox evaluates these exact alarms against the adapter's real EMF (sandbox
   * MetricsAlarmScenarioTest), from a copy that must equal the synthesized Properties. Refresh it
   * with {@code -Dcairn.updateAlarmFixture=true}.
   */
  @Test
  void sandboxAlarmFixture_equalsTheSynthesizedAlarms() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode alarms = TestApps.JSON.createObjectNode();
    for (JsonNode alarm : resources("AWS::CloudWatch::Alarm")) {
      com.fasterxml.jackson.databind.node.ObjectNode p =
          ((com.fasterxml.jackson.databind.node.ObjectNode) alarm.path("Properties").deepCopy());
      p.remove("AlarmActions");
      alarms.set(p.path("MetricName").asText() + "Alarm", p);
    }
    Path fixture =
        TestApps.repoRoot()
            .resolve(
                "sandbox/src/test/resources/dev/cairn/sandbox/metrics/control-plane-alarms.json");
    if (Boolean.getBoolean("cairn.updateAlarmFixture")) {
      Files.createDirectories(fixture.getParent());
      Files.writeString(
          fixture,
          TestApps.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(alarms) + "\n");
    }
    assertThat(TestApps.JSON.readTree(fixture.toFile())).isEqualTo(alarms);
  }

  private static List<JsonNode> resources(String type) {
    List<JsonNode> out = new ArrayList<>();
    json.path("Resources")
        .forEach(
            r -> {
              if (r.path("Type").asText().equals(type)) {
                out.add(r);
              }
            });
    return out;
  }

  private static JsonNode alarm(String metric) {
    return resources("AWS::CloudWatch::Alarm").stream()
        .map(r -> r.path("Properties"))
        .filter(p -> p.path("MetricName").asText().equals(metric))
        .findFirst()
        .orElseThrow();
  }

  private static boolean breaches(JsonNode p, double value) {
    double t = p.path("Threshold").asDouble();
    return switch (p.path("ComparisonOperator").asText()) {
      case "GreaterThanOrEqualToThreshold" -> value >= t;
      case "GreaterThanThreshold" -> value > t;
      case "LessThanThreshold" -> value < t;
      case "LessThanOrEqualToThreshold" -> value <= t;
      default -> throw new AssertionError(p.path("ComparisonOperator").asText());
    };
  }

  @Test
  void eachLambda_getsOnlyTheTableActionsItUses() {
    Set<String> none = Set.of();
    Set<String> transitions = Set.of("dynamodb:GetItem", "dynamodb:UpdateItem");
    Set<String> append = Set.of("dynamodb:GetItem", "dynamodb:PutItem");
    Map<CairnFunction, List<Set<String>>> expected = new java.util.EnumMap<>(CairnFunction.class);
    expected.put(CairnFunction.MANIFEST_VERIFIER, List.of(transitions, append, none));
    expected.put(
        CairnFunction.DEPLOYER,
        // Approvals are read; a stored break_glass is read and marked used by the drift gate.
        List.of(plus(transitions, "dynamodb:Query"), append, transitions));
    expected.put(
        CairnFunction.SWEEPER,
        List.of(plus(transitions, "dynamodb:Query"), append, Set.of("dynamodb:GetItem")));
    expected.put(CairnFunction.FINALIZER, List.of(transitions, append, none));
    expected.put(
        CairnFunction.AUDIT_ANCHORER,
        List.of(none, Set.of("dynamodb:GetItem", "dynamodb:Query"), none));
    expected.put(
        CairnFunction.OVERRIDE,
        List.of(
            transitions,
            append,
            Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")));
    expected.put(
        CairnFunction.REGISTRAR,
        List.of(Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"), append, none));
    for (CairnFunction f : CairnFunction.values()) {
      String role = roleLogicalId(f);
      assertThat(
              List.of(
                  tableActions(role, "ArtifactMetadataTable"),
                  tableActions(role, "AuditLogTable"),
                  tableActions(role, "IdempotencyTable")))
          .as(f.moduleName() + ": metadata, audit, idempotency")
          .isEqualTo(expected.get(f));
    }
  }

  @Test
  void onlyTheRegistrar_putsRecords_andNobody_updatesOrDeletesAuditEntries() {
    for (JsonNode r : json.get("Resources")) {
      if (!"AWS::IAM::Policy".equals(r.get("Type").asText())) {
        continue;
      }
      String roles = r.at("/Properties/Roles").toString();
      for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
        List<String> actions = strings(st.get("Action"));
        String resources = st.get("Resource").toString();
        if (resources.contains("AuditLogTable")) {
          assertThat(actions)
              .as(roles)
              .doesNotContain(
                  "dynamodb:UpdateItem",
                  "dynamodb:DeleteItem",
                  "dynamodb:BatchWriteItem",
                  "dynamodb:*");
        }
        if (resources.contains("ArtifactMetadataTable") && actions.contains("dynamodb:PutItem")) {
          assertThat(roles).contains(roleLogicalId(CairnFunction.REGISTRAR));
        }
      }
    }
  }

  @Test
  void finalizer_putsOnlyReleaseEvidenceRecords_andCallsNoStepFunctionsApi() {
    String role = roleLogicalId(CairnFunction.FINALIZER);
    List<String> putResources = new ArrayList<>();
    for (JsonNode r : json.get("Resources")) {
      if (!"AWS::IAM::Policy".equals(r.get("Type").asText())
          || !r.at("/Properties/Roles").toString().contains(role)) {
        continue;
      }
      for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
        if (strings(st.get("Action")).stream().anyMatch(a -> a.startsWith("s3:Put"))) {
          putResources.add(st.get("Resource").toString());
        }
      }
    }
    // Only the release bucket's evidence prefix, only release-evidence-* objects.
    assertThat(putResources)
        .singleElement()
        .satisfies(
            res ->
                assertThat(res)
                    .contains("ReleaseBucket")
                    .contains("/*/*/cairn-evidence/release-evidence-*")
                    .doesNotContain("CandidateBucket"));
    // Its evidence rests on DynamoDB and the event: no Step Functions read, history least of all.
    assertThat(policyActionsOf(role))
        .doesNotContain(
            "states:GetExecutionHistory",
            "states:DescribeExecution",
            "states:StopExecution",
            "states:StartExecution",
            "s3:DeleteObject*");
    assertThat(policyActionsOf(role)).noneMatch(a -> a.startsWith("states:"));
  }

  @Test
  void registrar_isNamedForCi_andReadsTheCandidateBucket() {
    template.hasResourceProperties(
        "AWS::Lambda::Function",
        Map.of("FunctionName", "cairn-registrar", "Handler", CairnFunction.REGISTRAR.handler()));
    assertThat(policyActionsOf(roleLogicalId(CairnFunction.REGISTRAR)))
        .contains("s3:GetObject*")
        .noneMatch(a -> a.startsWith("s3:Put") || a.startsWith("states:"));
  }

  private static Set<String> plus(Set<String> s, String action) {
    Set<String> out = new java.util.TreeSet<>(s);
    out.add(action);
    return out;
  }

  /** The DynamoDB actions {@code roleLogicalId}'s policies allow on the table {@code table}. */
  private static Set<String> tableActions(String roleLogicalId, String table) {
    Set<String> out = new java.util.TreeSet<>();
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::IAM::Policy".equals(r.get("Type").asText())
          && r.at("/Properties/Roles").toString().contains(roleLogicalId)) {
        for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
          if (st.get("Resource").toString().contains(table)) {
            strings(st.get("Action")).stream()
                .filter(a -> a.startsWith("dynamodb:"))
                .forEach(out::add);
          }
        }
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    } else {
      out.add(n.asText());
    }
    return out;
  }

  @Test
  void deployer_canAssumeOnlyTheTargetDeployRoles() {
    JsonNode st =
        statementWithSid(roleLogicalId(CairnFunction.DEPLOYER), "AssumeTargetDeployRoles");
    assertThat(st.get("Resource").toString())
        .contains("arn:aws:iam::222222222222:role/cairn-stage-deploy")
        .contains("arn:aws:iam::333333333333:role/cairn-prod-deploy");
    assertThat(st.get("Resource").toString()).doesNotContain("*");
  }

  private static String roleLogicalId(CairnFunction f) {
    return stack.getLogicalId(
        (software.amazon.awscdk.CfnElement)
            stack.function(f).getRole().getNode().getDefaultChild());
  }

  private static JsonNode statementWithSid(String roleLogicalId, String sid) {
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::IAM::Policy".equals(r.get("Type").asText())
          && r.at("/Properties/Roles").toString().contains(roleLogicalId)) {
        for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
          if (sid.equals(st.path("Sid").asText())) {
            return st;
          }
        }
      }
    }
    throw new AssertionError("no statement " + sid + " for " + roleLogicalId);
  }

  private static List<String> policyActionsOf(String roleLogicalId) {
    List<String> actions = new ArrayList<>();
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::IAM::Policy".equals(r.get("Type").asText())
          && r.at("/Properties/Roles").toString().contains(roleLogicalId)) {
        for (JsonNode st : r.at("/Properties/PolicyDocument/Statement")) {
          JsonNode a = st.get("Action");
          if (a.isArray()) {
            a.forEach(x -> actions.add(x.asText()));
          } else {
            actions.add(a.asText());
          }
        }
      }
    }
    return actions;
  }

  private static JsonNode schedule(String expression) {
    for (JsonNode r : json.get("Resources")) {
      if ("AWS::Scheduler::Schedule".equals(r.get("Type").asText())
          && expression.equals(r.at("/Properties/ScheduleExpression").asText())) {
        return r;
      }
    }
    throw new AssertionError("no schedule " + expression);
  }

  private static JsonNode resourceNamed(String prefix) {
    var it = json.get("Resources").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (e.getKey().startsWith(prefix)
          && !e.getValue().get("Type").asText().startsWith("AWS::IAM")
          && !e.getValue().get("Type").asText().equals("AWS::Logs::LogGroup")) {
        return e.getValue();
      }
    }
    throw new AssertionError("no resource " + prefix);
  }
}
