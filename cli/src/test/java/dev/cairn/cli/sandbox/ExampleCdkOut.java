package dev.cairn.cli.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The example app's cloud assembly ({@code examples/hello-service/cdk.out}), copied to where a test
 * runs {@code cairn sandbox run --cdk-out} on it, as a user's own app would sit outside the
 * checkout.
 */
final class ExampleCdkOut {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private ExampleCdkOut() {}

  static void copyTo(Path to) throws IOException {
    Path from = REPO.resolve("examples/hello-service/cdk.out");
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
