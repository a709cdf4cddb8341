package dev.cairn.bench.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.assets.S3EcrAssetDestinations;
import dev.cairn.aws.client.ClientSource;
import dev.cairn.aws.cloudformation.AssumedRoleStackDeployers;
import dev.cairn.aws.cloudtrail.CloudTrailLakeAnchorTrail;
import dev.cairn.aws.cloudwatch.CloudWatchAlarmMonitor;
import dev.cairn.aws.codebuild.CodeBuildTestBuilds;
import dev.cairn.aws.events.EventBridgePipelineEvents;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.aws.sfn.SfnExecutionControl;
import dev.cairn.aws.sts.AssumedRoles;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The honest INIT floor of one handler: the SDK clients its INIT builds, from the same {@link
 * ClientSource}, and the one call its INIT makes (the control-plane config's {@code GetParameter},
 * not parsed), then primed the same way, with the same SDK steps over the loopback responder, but
 * none of Cairn's code: no composition, no config parse, no Jackson event, no signatures, no
 * metrics. {@code twins-<handler>} in the figures; what the handler's INIT spends above it is
 * Cairn's. Its invocation is the minimal handler's {@code GetItem}.
 */
public final class TwinsHandler implements RequestStreamHandler {

  private static final Map<String, AttributeValue> KEY =
      Map.of(
          "service", AttributeValue.fromS("minimal"),
          "commit_sha", AttributeValue.fromS("0".repeat(40)));

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final Priming priming;

  public TwinsHandler(String handler) {
    LambdaRuntime runtime = LambdaRuntime.current();
    ClientSource clients = runtime.clients();
    // What ControlPlaneWiring builds in every function's INIT, and its one call.
    this.dynamoDb = clients.dynamoDb();
    clients.s3();
    SsmClient ssm = clients.client(SsmClient.class);
    ssm.getParameter(r -> r.name(runtime.environment().get("CONTROL_PLANE_CONFIG_PARAMETER")));
    clients.client(KmsClient.class);
    clients.client(SnsClient.class);
    this.table = runtime.environment().get("METADATA_TABLE_NAME");
    this.priming =
        Priming.register("twins-" + handler, sdkSteps(handler).toArray(Priming.Step[]::new));
  }

  /**
   * The SDK steps {@code handler} registers, in its order (the bench checks them against the
   * handler's own priming log line).
   */
  static List<Priming.Step> sdkSteps(String handler) {
    List<Priming.Step> s = new ArrayList<>(List.of(Priming.dynamoDb(), Priming.s3()));
    switch (handler) {
      case "manifest-verifier" ->
          s.addAll(
              List.of(
                  Priming.ssm(),
                  Priming.kms(),
                  Priming.sns(),
                  AssumedRoles.priming(),
                  S3EcrAssetDestinations.priming()));
      case "deployer" ->
          s.addAll(
              List.of(
                  Priming.ssm(),
                  Priming.kms(),
                  Priming.sns(),
                  EventBridgePipelineEvents.priming(),
                  AssumedRoles.priming(),
                  AssumedRoleStackDeployers.priming(),
                  CloudWatchAlarmMonitor.priming()));
      case "sweeper" ->
          s.addAll(
              List.of(
                  SfnExecutionControl.priming(),
                  EventBridgePipelineEvents.priming(),
                  Priming.ssm(),
                  Priming.kms(),
                  Priming.sns()));
      case "finalizer" ->
          s.addAll(
              List.of(
                  AssumedRoles.priming(),
                  AssumedRoleStackDeployers.priming(),
                  CodeBuildTestBuilds.priming(),
                  EventBridgePipelineEvents.priming(),
                  Priming.ssm(),
                  Priming.kms(),
                  Priming.sns()));
      case "audit-anchorer" ->
          s.addAll(
              List.of(
                  Priming.sns(),
                  CloudTrailLakeAnchorTrail.priming(),
                  Priming.ssm(),
                  Priming.kms()));
      case "override" ->
          s.addAll(
              List.of(
                  Priming.ssm(),
                  Priming.kms(),
                  Priming.sns(),
                  EventBridgePipelineEvents.priming(),
                  SfnExecutionControl.priming()));
      case "registrar" -> s.addAll(List.of(Priming.ssm(), Priming.kms(), Priming.sns()));
      default -> throw new IllegalArgumentException("no handler " + handler);
    }
    return s;
  }

  /** Its SDK steps, primed as the handler's are. */
  public Priming priming() {
    return priming;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws java.io.IOException {
    input.readAllBytes();
    boolean found = dynamoDb.getItem(r -> r.tableName(table).key(KEY)).hasItem();
    output.write(
        ("{\"outcome\":\"" + (found ? "found" : "absent") + "\"}")
            .getBytes(StandardCharsets.UTF_8));
  }
}
