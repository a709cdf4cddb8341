package dev.cairn.cdk;

import dev.cairn.cdk.config.CairnConfig;
import dev.cairn.cdk.config.CairnConfigLoader;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * Entry point of the CDK app ({@code cdk.json}). The only place that reads the outside world:
 * context values (or their defaults) name the config file, the repository root and, optionally, a
 * directory to use as every Lambda's code.
 *
 * <ul>
 *   <li>{@code -c cairn:config=FILE} (default {@code cairn.config.example.json})
 *   <li>{@code -c cairn:repoRoot=DIR} (default {@code ..}, the repository root seen from cdk/)
 *   <li>{@code -c cairn:lambdaAssetDir=DIR} uses DIR for all six Lambdas (synth without jars)
 *   <li>{@code -c cairn:stateMachineDefinition=FILE} (default {@code
 *       statemachines/deploy-artifact-pipeline.asl.json})
 * </ul>
 */
public final class CairnApp {

  /** The stacks of one installation. */
  public record CairnStacks(
      CairnStatefulStack stateful,
      CairnControlPlaneStack controlPlane,
      List<CairnTargetAccountStack> targets,
      CairnCiOidcStack ciOidc) {
    public CairnStacks {
      targets = List.copyOf(targets);
    }
  }

  private CairnApp() {}

  public static void main(String[] args) {
    App app = new App();
    Path config = Path.of(context(app, "cairn:config", "cairn.config.example.json"));
    Path repoRoot = Path.of(context(app, "cairn:repoRoot", "..")).toAbsolutePath().normalize();
    String assetDir = context(app, "cairn:lambdaAssetDir", "");
    LambdaArtifacts artifacts =
        assetDir.isEmpty()
            ? LambdaArtifacts.fromBuiltJars(repoRoot)
            : LambdaArtifacts.allFrom(Path.of(assetDir).toAbsolutePath());
    Path asl =
        Path.of(
                context(
                    app,
                    "cairn:stateMachineDefinition",
                    repoRoot.resolve("statemachines/deploy-artifact-pipeline.asl.json").toString()))
            .toAbsolutePath();
    build(app, CairnConfigLoader.load(config), artifacts, asl);
    app.synth();
  }

  private static String context(App app, String key, String fallback) {
    Object v = app.getNode().tryGetContext(key);
    return v == null ? fallback : v.toString();
  }

  /** Adds every stack of the installation to {@code app} and applies cdk-nag. */
  public static CairnStacks build(
      App app, CairnConfig config, LambdaArtifacts artifacts, Path stateMachineDefinition) {
    // Feature flags the stacks rely on, set here so tests and `cdk synth` behave the same.
    // Access logs are delivered through a bucket policy, not the LogDeliveryWrite ACL.
    app.getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
    // Strong references: CloudFormation refuses to delete a stateful export still in use.
    app.getNode().setContext("@aws-cdk/core:defaultCrossStackReferences", "strong");
    Environment tools =
        Environment.builder()
            .account(config.toolsAccount().account())
            .region(config.region())
            .build();
    CairnStatefulStack stateful =
        new CairnStatefulStack(
            app,
            "CairnStateful",
            StackProps.builder()
                .env(tools)
                .description("Cairn stateful resources: buckets, tables, keys")
                .build(),
            config);
    CairnControlPlaneStack controlPlane =
        new CairnControlPlaneStack(
            app,
            "CairnControlPlane",
            StackProps.builder()
                .env(tools)
                .description("Cairn control plane: Lambdas, state machine, rules, schedules")
                .build(),
            new CairnControlPlaneStack.Props(config, stateful, artifacts, stateMachineDefinition));
    controlPlane.addStackDependency(stateful);
    List<CairnTargetAccountStack> targets = new ArrayList<>();
    for (CairnConfig.EnvironmentConfig env : config.environments()) {
      CairnTargetAccountStack target =
          new CairnTargetAccountStack(
              app,
              "CairnTarget-" + env.name(),
              StackProps.builder()
                  .env(Environment.builder().account(env.account()).region(env.region()).build())
                  .description("Cairn roles in the " + env.name() + " account")
                  // The target account is bootstrapped with config bootstrap_qualifier: this
                  // stack deploys through that bootstrap too.
                  .synthesizer(
                      DefaultStackSynthesizer.Builder.create()
                          .qualifier(config.bootstrapQualifier())
                          .build())
                  .build(),
              config,
              env);
      targets.add(target);
    }
    CairnCiOidcStack ci =
        new CairnCiOidcStack(
            app,
            "CairnCiOidc",
            StackProps.builder()
                .env(tools)
                .description("GitHub OIDC provider, CI and context-generator roles")
                .build(),
            config,
            CairnCiOidcStack.StatefulRefs.of(stateful));
    ci.addStackDependency(stateful);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    return new CairnStacks(stateful, controlPlane, targets, ci);
  }
}
