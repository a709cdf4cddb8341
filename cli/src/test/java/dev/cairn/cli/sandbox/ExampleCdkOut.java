package dev.cairn.cli.sandbox;

import dev.cairn.sandbox.DirectoryCopy;
import java.nio.file.Path;

/**
 * The example app's cloud assembly ({@code examples/hello-service/cdk.out}), copied to where a test
 * runs {@code cairn sandbox run --cdk-out} on it, as a user's own app would sit outside the
 * checkout.
 */
final class ExampleCdkOut {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private ExampleCdkOut() {}

  static void copyTo(Path to) {
    DirectoryCopy.copyTree(REPO.resolve("examples/hello-service/cdk.out"), to);
  }
}
