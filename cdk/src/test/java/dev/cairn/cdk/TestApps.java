package dev.cairn.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cdk.config.CairnConfig;
import dev.cairn.cdk.config.CairnConfigLoader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** One synthesized installation shared by every test class in the JVM (synth costs seconds). */
final class TestApps {
  private TestApps() {}

  static final ObjectMapper JSON = new ObjectMapper();

  private static CairnApp.CairnStacks shared;

  static synchronized CairnApp.CairnStacks shared() {
    if (shared == null) {
      shared = build(exampleConfig());
    }
    return shared;
  }

  static CairnApp.CairnStacks build(CairnConfig config) {
    return CairnApp.build(new App(), config, fixtureLambdas(), stateMachineDefinition());
  }

  static Path repoRoot() {
    String root = System.getProperty("cairn.repo.root");
    return root != null
        ? Path.of(root).toAbsolutePath().normalize()
        : Path.of("..").toAbsolutePath().normalize();
  }

  static CairnConfig exampleConfig() {
    return CairnConfigLoader.load(repoRoot().resolve("cdk/cairn.config.example.json"));
  }

  static LambdaArtifacts fixtureLambdas() {
    return LambdaArtifacts.allFrom(resource("fixtures/lambda-asset"));
  }

  /** The production ASL file: tests synthesize exactly what gets deployed. */
  static Path stateMachineDefinition() {
    Path real = repoRoot().resolve("statemachines/deploy-artifact-pipeline.asl.json");
    if (!Files.isRegularFile(real)) {
      throw new IllegalStateException("missing " + real);
    }
    return real;
  }

  static Path fixtureAsl() {
    return resource("fixtures/test-pipeline.asl.json");
  }

  static Path resource(String name) {
    try {
      return Path.of(TestApps.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(Stack stack) {
    return JSON.valueToTree(Template.fromStack(stack).toJSON());
  }

  static Template template(Stack stack) {
    return Template.fromStack(stack);
  }
}
