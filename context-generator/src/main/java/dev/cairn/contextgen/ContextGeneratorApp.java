package dev.cairn.contextgen;

import java.nio.file.Path;
import software.amazon.awscdk.App;

/**
 * The context generator CDK app. Run by the secure context pipeline (tools-account CodeBuild, role
 * {@code cdk-context-generator}) as {@code cdk synth -c cairn:env=prod}; the CLI resolves the
 * lookups into {@code cdk.context.json}.
 *
 * <ul>
 *   <li>{@code -c cairn:env=NAME} (required): the environment to look up
 *   <li>{@code -c cairn:lookups=FILE} (default {@code lookups.example.json})
 * </ul>
 */
public final class ContextGeneratorApp {
  private ContextGeneratorApp() {}

  public static void main(String[] args) {
    App app = new App();
    Object env = app.getNode().tryGetContext("cairn:env");
    if (env == null) {
      throw new IllegalArgumentException("pass the environment: cdk synth -c cairn:env=<name>");
    }
    Object lookups = app.getNode().tryGetContext("cairn:lookups");
    Path file = Path.of(lookups == null ? "lookups.example.json" : lookups.toString());
    build(app, env.toString(), LookupSpec.load(file, env.toString()));
    app.synth();
  }

  /** Adds the lookup stack for {@code env}. */
  public static ContextLookupStack build(App app, String env, LookupSpec spec) {
    return new ContextLookupStack(app, "CairnContext-" + env, spec);
  }
}
