package dev.cairn.sandbox;

import static dev.cairn.sandbox.SandboxRun.COMMIT_A;
import static dev.cairn.sandbox.SandboxRun.COMMIT_B;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.CloudFormationEmulator;
import dev.cairn.local.emulators.CodeBuildEmulator.BuildOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import software.amazon.awssdk.core.sync.RequestBody;

/** The pipeline scenarios: one artifact (or two) through stage and prod. */
final class PipelineScenarios {

  private PipelineScenarios() {}

  static void happy(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
  }

  static void tampered(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.note(
        "an attacker rewrites hello-stage-api.template.json in the candidate bucket after signing");
    c.world()
        .s3
        .putObject(
            r ->
                r.bucket(SandboxWorld.CANDIDATE)
                    .key(
                        ArtifactLayout.prefix(c.world().service, COMMIT_A)
                            + "hello-stage-api.template.json"),
            RequestBody.fromString("{\"Resources\":{\"Backdoor\":{\"Type\":\"AWS::IAM::User\"}}}"));
    c.candidateUploaded(COMMIT_A);
  }

  static void stageDeployFails(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.world()
        .cloudFormation
        .forAccount(SandboxWorld.STAGE_ACCOUNT)
        .failNextExecution(
            "hello-stage-data",
            "Resource handler returned message: \"Table limit exceeded\" (HandlerErrorCode: ServiceLimitExceeded)");
    c.candidateUploaded(COMMIT_A);
  }

  static void stageTestsFail(ScenarioContext c) throws Exception {
    c.world()
        .codeBuild
        .runner(
            (project, env) ->
                project.equals("hello-stage-tests") ? BuildOutcome.FAILED : BuildOutcome.SUCCEEDED);
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
  }

  static void prodSmokeFails(ScenarioContext c) throws Exception {
    smokeFailure(c, false);
  }

  static void rollbackExhausted(ScenarioContext c) throws Exception {
    smokeFailure(c, true);
  }

  private static void smokeFailure(ScenarioContext c, boolean exhaust) throws Exception {
    SandboxWorld w = c.world();
    w.codeBuild.runner(
        (project, env) -> {
          boolean failing =
              project.equals("hello-prod-smoke-tests")
                  && COMMIT_B.equals(env.get("CAIRN_COMMIT_SHA"));
          if (failing && exhaust) {
            // Every rollback deploy of the good commit fails from here on.
            CloudFormationEmulator prod = w.cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
            prod.failNextExecutions(
                "hello-prod-data", 10, "Resource handler returned message: \"Rate exceeded\"");
          }
          return failing ? BuildOutcome.FAILED : BuildOutcome.SUCCEEDED;
        });
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    c.candidateUploaded(COMMIT_B);
    if (!exhaust) {
      // The delivery KPIs are the anchorer's gauges, published each anchor period from the chain
      // it verified: a rollback that succeeds within minutes counts in ChangeFailureRate and
      // RollbackRate from the anchorer's next run, not from whichever run its own timing reached.
      // (An exhausted rollback takes its back-offs, anchor runs fall inside it, and the run ends
      // while RollbackFailureRate's five-minute window still holds the last attempt.)
      c.note("an anchor period later, the anchorer publishes the KPIs from the chain");
      w.clock.advance(w.schedule("audit-anchorer"));
      w.drain();
    }
  }

  static void prodDrift(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    c.candidateUploaded(COMMIT_A);
    c.publish(COMMIT_B, PipelineScenarios::secondRelease);
    CloudFormationEmulator prod = c.world().cloudFormation.forAccount(SandboxWorld.PROD_ACCOUNT);
    String table =
        prod.deployedResources("hello-prod-data").keySet().stream()
            .filter(k -> k.startsWith("Greetings"))
            .findFirst()
            .orElseThrow();
    c.note("someone edits " + table + " in the prod console: hello-prod-data has drifted");
    prod.markDrifted("hello-prod-data", table);
    c.candidateUploaded(COMMIT_B);
  }

  static void duplicateEvent(ScenarioContext c) throws Exception {
    c.publish(COMMIT_A);
    for (int i = 1; i <= 3; i++) {
      c.note("S3 delivers the ObjectCreated event for the manifest (" + i + " of 3)");
      c.candidateUploaded(COMMIT_A);
    }
  }

  /**
   * The next commit changes a real property in both stacks (a bigger Lambda, deletion protection on
   * the table), so deploying it and rolling it back both execute change sets. As {@code cdk synth}
   * does, the changed templates' file assets are re-keyed by their new SHA-256, so both releases'
   * templates live side by side in the asset buckets and the first still verifies at its
   * destinations after the second is published.
   */
  static void secondRelease(Path cdkOut) {
    try {
      java.util.Map<Path, String> before = new java.util.HashMap<>();
      java.util.List<Path> files;
      try (var list = Files.list(cdkOut)) {
        files = list.filter(Files::isRegularFile).toList();
      }
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(".template.json")) {
          before.put(f, dev.cairn.core.integrity.Sha256.hex(Files.readAllBytes(f)));
        }
      }
      for (String env : new String[] {"stage", "prod"}) {
        edit(
            cdkOut.resolve("hello-" + env + "-data.template.json"),
            "AWS::DynamoDB::Table",
            props -> props.put("DeletionProtectionEnabled", true));
        edit(
            cdkOut.resolve("hello-" + env + "-api.template.json"),
            "AWS::Lambda::Function",
            props -> props.put("MemorySize", 512));
      }
      java.util.Map<String, String> renamed = new java.util.HashMap<>();
      for (var e : before.entrySet()) {
        String now = dev.cairn.core.integrity.Sha256.hex(Files.readAllBytes(e.getKey()));
        if (!now.equals(e.getValue())) {
          renamed.put(e.getValue(), now);
        }
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json") && !name.endsWith(".template.json")) {
          String text = Files.readString(f);
          String updated = text;
          for (var r : renamed.entrySet()) {
            updated = updated.replace(r.getKey(), r.getValue());
          }
          if (!updated.equals(text)) {
            Files.writeString(f, updated);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void edit(Path template, String type, Consumer<ObjectNode> change) {
    try {
      ObjectNode t = (ObjectNode) Json.parse(Files.readAllBytes(template));
      t.get("Resources")
          .forEach(
              r -> {
                if (type.equals(r.path("Type").asText())) {
                  change.accept((ObjectNode) r.get("Properties"));
                }
              });
      Files.writeString(template, Json.pretty(t));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
