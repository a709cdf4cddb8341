package dev.cairn.aws.codebuild;

import dev.cairn.aws.runtime.ControlPlaneWiring;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.core.finalize.port.TestBuilds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.ListBuildsForProjectResponse;
import software.amazon.awssdk.services.codebuild.model.SortOrderType;

/**
 * The test builds of a deployment: {@code ListBuildsForProject} (newest first) and {@code
 * BatchGetBuilds}, keeping the builds whose {@code CAIRN_DEPLOYMENT_ID} environment variable (set
 * by the state machine's {@code RunTests}) names the deployment. Listing stops at the first page
 * whose builds all started before {@code since}.
 */
public final class CodeBuildTestBuilds implements TestBuilds {

  private final CodeBuildClient codeBuild;

  public CodeBuildTestBuilds(CodeBuildClient codeBuild) {
    this.codeBuild = codeBuild;
  }

  @Override
  public List<TestBuild> find(String project, String deploymentId, Instant since) {
    List<TestBuild> out = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListBuildsForProjectResponse page =
          codeBuild.listBuildsForProject(
              r -> r.projectName(project).sortOrder(SortOrderType.DESCENDING).nextToken(next));
      if (!page.hasIds() || page.ids().isEmpty()) {
        break;
      }
      boolean older = true;
      for (Build b : codeBuild.batchGetBuilds(r -> r.ids(page.ids())).builds()) {
        if (since != null && b.startTime() != null && b.startTime().isBefore(since)) {
          continue;
        }
        older = false;
        if (deploymentId.equals(variable(b, "CAIRN_DEPLOYMENT_ID"))) {
          out.add(new TestBuild(b.id(), b.buildStatusAsString()));
        }
      }
      if (older) {
        break;
      }
      token = page.nextToken();
    } while (token != null);
    return out;
  }

  private static String variable(Build b, String name) {
    if (b.environment() == null || !b.environment().hasEnvironmentVariables()) {
      return null;
    }
    for (EnvironmentVariable v : b.environment().environmentVariables()) {
      if (name.equals(v.name())) {
        return v.value();
      }
    }
    return null;
  }

  /** On the function's own CodeBuild client. */
  public static CodeBuildTestBuilds of(ControlPlaneWiring w) {
    return new CodeBuildTestBuilds(w.clients().client(CodeBuildClient.class));
  }

  /** SnapStart priming of the test builds' status reads. */
  public static Priming.Step priming() {
    return Priming.sdk(
        "CodeBuild",
        CodeBuildClient::builder,
        (CodeBuildClient c) -> c.batchGetBuilds(r -> r.ids("priming:0")));
  }
}
