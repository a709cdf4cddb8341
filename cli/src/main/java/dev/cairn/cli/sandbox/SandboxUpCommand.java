package dev.cairn.cli.sandbox;

import dev.cairn.aws.dynamodb.TableDefinition;
import dev.cairn.cli.CairnCli;
import dev.cairn.testing.LocalDynamoDb;
import dev.cairn.testing.LocalS3;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code cairn sandbox up}. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start Cairn's tables and buckets locally and run until interrupted.",
      "Starts DynamoDB Local (in memory) and S3Proxy (transient-nio2, versioning on) on loopback,",
      "creates the spec's tables and buckets, prints the endpoints and the export lines for the",
      "AWS SDK's standard variables, and runs until interrupted (Ctrl-C). Data lives in memory.",
      "",
      "Tables (from schema/tables/*.json, the definitions the CDK stack uses):",
      "  cdk-artifact-metadata (GSI sweep-due-index, TTL expire_at), cdk-audit-log (the hash-",
      "  chained audit entries: key chain_id + sequence, head at sequence 0), cairn-idempotency.",
      "Buckets (versioned): cdk-artifacts-candidate, cdk-artifacts-release, cdk-contexts,",
      "  audit-log-anchors, cdk-artifact-metadata-exports.",
      "",
      "No S3 event notifications exist locally: the sandbox runner raises ObjectCreated itself."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "2:a server could not start (port in use?)"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn sandbox up                       # then, in another shell, paste the export lines",
      "  cairn sandbox up --dynamodb-port 8001 --s3-port 9001",
      "  cairn status --service orders          # honours AWS_ENDPOINT_URL_DYNAMODB"
    })
public final class SandboxUpCommand implements Callable<Integer> {

  /** Buckets the spec names. */
  public static final List<String> BUCKETS =
      List.of(
          "cdk-artifacts-candidate",
          "cdk-artifacts-release",
          "cdk-contexts",
          "audit-log-anchors",
          "cdk-artifact-metadata-exports");

  @Spec CommandSpec spec;

  @Option(
      names = "--dynamodb-port",
      paramLabel = "P",
      defaultValue = "8000",
      description = "DynamoDB Local port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int dynamoDbPort;

  @Option(
      names = "--s3-port",
      paramLabel = "Q",
      defaultValue = "9000",
      description = "S3Proxy port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int s3Port;

  @Option(
      names = "--exit-when-ready",
      hidden = true,
      description = "Stop right after start-up (smoke tests).")
  boolean exitWhenReady;

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalDynamoDb dynamo;
    LocalS3 s3;
    try {
      dynamo = LocalDynamoDb.start(dynamoDbPort);
    } catch (RuntimeException e) {
      err.println(
          "error: DynamoDB Local could not start on port " + dynamoDbPort + ": " + rootMessage(e));
      return CairnCli.EXIT_USAGE;
    }
    try {
      s3 = LocalS3.start(s3Port);
    } catch (RuntimeException e) {
      dynamo.close();
      err.println("error: S3Proxy could not start on port " + s3Port + ": " + rootMessage(e));
      return CairnCli.EXIT_USAGE;
    }
    Thread hook =
        new Thread(
            () -> {
              s3.close();
              dynamo.close();
              stop.countDown();
            },
            "cairn-sandbox-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (DynamoDbClient ddb = dynamo.client();
        S3Client s3c = s3.client()) {
      for (String table : TableDefinition.ALL) {
        TableDefinition.load(table).create(ddb, table);
      }
      for (String bucket : BUCKETS) {
        LocalS3.createVersionedBucket(s3c, bucket);
      }
    }
    out.println(
        "# Cairn sandbox is up. DynamoDB Local: "
            + dynamo.endpoint()
            + "  S3Proxy: "
            + s3.endpoint());
    out.println("# tables:  " + String.join(", ", TableDefinition.ALL));
    out.println("# buckets: " + String.join(", ", BUCKETS));
    out.println("# Paste into your shell so every cairn (and aws) command uses the sandbox:");
    out.println("export AWS_ENDPOINT_URL_DYNAMODB=" + dynamo.endpoint());
    out.println("export AWS_ENDPOINT_URL_S3=" + s3.endpoint());
    out.println("export AWS_ACCESS_KEY_ID=" + LocalS3.ACCESS_KEY);
    out.println("export AWS_SECRET_ACCESS_KEY=" + LocalS3.SECRET_KEY);
    out.println("export AWS_REGION=us-east-1");
    out.println("# Ctrl-C stops the sandbox; its data is in memory only.");
    out.flush();
    if (exitWhenReady) {
      Runtime.getRuntime().removeShutdownHook(hook);
      s3.close();
      dynamo.close();
      return CairnCli.EXIT_OK;
    }
    stop.await();
    return CairnCli.EXIT_OK;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
