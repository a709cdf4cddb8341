package dev.cairn.sandbox;

import dev.cairn.core.integrity.ArtifactLayout;
import dev.cairn.core.lifecycle.ArtifactKey;
import java.nio.file.Path;
import java.util.function.Consumer;

/** What a scenario script works with: the world, the example artifact, and the progress printer. */
public record ScenarioContext(
    SandboxWorld world, Path example, SandboxRun.ProgressPrinter progress) {

  /** Publishes {@code commit} as CI would; {@code mutate} may change the copied cdk.out first. */
  public ArtifactKey publish(String commit, Consumer<Path> mutate) throws Exception {
    ArtifactKey key = world.publish(example, commit, mutate);
    note(
        "CI published "
            + key.service()
            + "@"
            + commit.substring(0, 12)
            + " (signed manifest, artifact uploaded; the registrar recorded the candidate)");
    return key;
  }

  public ArtifactKey publish(String commit) throws Exception {
    return publish(commit, d -> {});
  }

  /** The candidate bucket's ObjectCreated event for {@code commit}'s manifest. */
  public void candidateUploaded(String commit) {
    world.objectCreated(
        SandboxWorld.CANDIDATE,
        ArtifactLayout.prefix(world.service, commit) + ArtifactLayout.MANIFEST_FILE);
  }

  /** The manifest key of {@code commit} of the service {@code w} publishes. */
  public static String manifestKey(SandboxWorld w, String commit) {
    return ArtifactLayout.prefix(w.service, commit) + ArtifactLayout.MANIFEST_FILE;
  }

  /** Starts an attack: prod is snapshotted now, and the attack must end before the script does. */
  Attack attack(String what) {
    return new Attack(world, what);
  }

  public void note(String line) {
    progress.note(line);
  }
}
