package dev.cairn.examples.hello;

import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PermissionsBoundary;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * The demo service Cairn deploys: a data stack (a DynamoDB table) and an API stack (a Lambda
 * function with a file asset) that depends on it, for each environment of the chain.
 */
public final class HelloServiceApp {

  /** Environments of the sandbox chain: name, account, region. */
  static final List<String[]> ENVIRONMENTS =
      List.of(
          new String[] {"stage", "111111111111", "us-east-1"},
          new String[] {"prod", "222222222222", "us-east-1"});

  public static void main(String[] args) {
    String outdir = args.length > 0 ? args[0] : "cdk.out";
    // No stack traces in metadata: they embed random temp paths and break dual-synth determinism.
    App app =
        new App(
            AppProps.builder()
                .outdir(outdir)
                .context(
                    java.util.Map.of(
                        "aws:cdk:disable-stack-trace",
                        true,
                        "@aws-cdk/core:defaultCrossStackReferences",
                        "strong"))
                .build());
    for (String[] env : ENVIRONMENTS) {
      Environment environment = Environment.builder().account(env[1]).region(env[2]).build();
      DataStack data =
          new DataStack(
              app,
              "hello-" + env[0] + "-data",
              StackProps.builder().env(environment).synthesizer(synthesizer()).build());
      ApiStack api =
          new ApiStack(
              app,
              "hello-" + env[0] + "-api",
              StackProps.builder().env(environment).synthesizer(synthesizer()).build(),
              data.table);
      api.addStackDependency(data);
      // Cairn's execution role creates roles only with the environment's workload boundary
      // (CairnTargetAccountStack): every role of the service carries it.
      for (Stack stack : List.of(data, api)) {
        PermissionsBoundary.of(stack)
            .apply(
                ManagedPolicy.fromManagedPolicyName(
                    stack, "WorkloadBoundary", "cairn-" + env[0] + "-workload-boundary"));
      }
    }
    app.synth();
  }

  private static DefaultStackSynthesizer synthesizer() {
    // Deterministic output: no version-reporting metadata that varies between machines.
    return DefaultStackSynthesizer.Builder.create().generateBootstrapVersionRule(true).build();
  }

  static final class DataStack extends Stack {
    final Table table;

    DataStack(Construct scope, String id, StackProps props) {
      super(scope, id, props);
      table =
          Table.Builder.create(this, "Greetings")
              .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .pointInTimeRecoverySpecification(
                  PointInTimeRecoverySpecification.builder()
                      .pointInTimeRecoveryEnabled(true)
                      .build())
              .removalPolicy(RemovalPolicy.RETAIN)
              .build();
    }
  }

  static final class ApiStack extends Stack {
    ApiStack(Construct scope, String id, StackProps props, Table table) {
      super(scope, id, props);
      Function fn =
          Function.Builder.create(this, "Handler")
              .runtime(Runtime.NODEJS_22_X)
              .handler("index.handler")
              .code(Code.fromAsset("lambda"))
              .timeout(Duration.seconds(10))
              .memorySize(256)
              .build();
      fn.addEnvironment("TABLE_NAME", table.getTableName());
      table.grantReadData(fn);
    }
  }
}
