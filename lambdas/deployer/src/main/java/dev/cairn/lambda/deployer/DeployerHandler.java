package dev.cairn.lambda.deployer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.cloudwatch.CloudWatchAlarmMonitor;
import dev.cairn.aws.events.AwsOverrideNotifier;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.metrics.PowertoolsPipelineMetrics;
import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.HandlerLog;
import dev.cairn.aws.runtime.LambdaJson;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.runtime.TransientErrors;
import dev.cairn.aws.sts.AssumedRoles;
import dev.cairn.core.deployer.DeployerActions;
import dev.cairn.core.evidence.ReleaseEvidenceRecorder;
import dev.cairn.core.pipeline.DeployerCommand;
import dev.cairn.core.pipeline.PipelineServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * The deployer Lambda: reads the payload into its action's command ({@link DeployerJson}), runs it
 * on its use case and writes the result (docs/pipeline-contract.md). Transient AWS failures become
 * {@code TransientError} for the state machine's Retry; the pipeline's own errors keep their names
 * for its Catch.
 */
public final class DeployerHandler implements RequestStreamHandler {

  private final Supplier<DeployerActions> actions;

  /**
   * Primes what a deploy touches: the ledger, the buckets, the trust config, item MACs, alerts and
   * events, the environments' roles, stacks and alarms, the request, and the signature providers
   * (approvals and break_glass requests are verified here).
   */
  private final Priming priming =
      Priming.register(
          "deployer",
          Priming.dynamoDb(),
          Priming.s3(),
          Priming.ssm(),
          Priming.kms(),
          Priming.sns(),
          EventBridgePipelineEvents.priming(),
          AssumedRoles.priming(),
          AssumedRoleStackDeployers.priming(),
          CloudWatchAlarmMonitor.priming(),
          PowertoolsPipelineMetrics.priming(),
          Priming.event(
              DeployerHandler.class,
              "priming-event.json",
              e -> {
                HandlerLog.keysOf(e);
                DeployerJson.request(e);
              }),
          Priming.signatures(),
          Priming.invocation(
              DeployerHandler.class,
              "priming-event.json",
              "IllegalStateException: the ledger has no record of orders@",
              w -> new DeployerHandler(w.current(DeployerHandler::wire))));

  /**
   * INIT: clients are built once per sandbox; the use cases are rebuilt when the trust
   * configuration, re-read with its TTL, changed (ControlPlaneWiring#config).
   */
  public DeployerHandler() {
    this(ControlPlaneWiring.fromSystem().current(DeployerHandler::wire));
  }

  /** With injected ports: the sandbox and tests run the real handler on local stand-ins. */
  public DeployerHandler(DeployerActions actions) {
    this(() -> actions);
  }

  private DeployerHandler(Supplier<DeployerActions> actions) {
    this.actions = actions;
  }

  /**
   * The production composition: approvals come from the override Lambda's DynamoDB store and are
   * re-verified where they are counted; the drift gate's break_glass comes from its stored signed
   * requests. The release evidence goes to the release bucket, its recording entry to the audit
   * log, whose entries it reads with their MACs checked.
   */
  public static DeployerActions wire(ControlPlaneWiring w) {
    PipelineServices services =
        w.pipelineServices(AssumedRoleStackDeployers.of(w), CloudWatchAlarmMonitor.of(w));
    return new DeployerActions(
        services,
        w.approvalCounter(),
        w.breakGlassGate(AwsOverrideNotifier.of(w)),
        new ReleaseEvidenceRecorder(
            services.ledger(),
            w.auditLog(),
            services.store(),
            services.releaseBucket(),
            services.clock()));
  }

  /** The SnapStart priming this function registered (tests and bench/lambda run it directly). */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ObjectNode payload = LambdaJson.readObject(input);
    LambdaJson.write(
        output,
        HandlerLog.invocation(
            context,
            HandlerLog.keysOf(payload),
            () -> {
              DeployerCommand command = DeployerJson.read(payload);
              return DeployerJson.write(
                  TransientErrors.translate(() -> actions.get().handle(command)));
            }));
  }
}
