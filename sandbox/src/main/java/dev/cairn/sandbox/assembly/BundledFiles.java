package dev.cairn.sandbox.assembly;

import dev.cairn.sandbox.DirectoryCopy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * Copies a directory the sandbox carries on its classpath ({@code cairn-sandbox-example/...},
 * {@code cairn-sandbox-iam-check}) to a real directory, from the jar or from the build's classes
 * folder alike: {@code cairn sandbox run} needs no Cairn checkout.
 */
public final class BundledFiles {

  /** The example service's cloud assembly, as the build packaged it. */
  public static final String EXAMPLE_CDK_OUT = "cairn-sandbox-example/hello-service/cdk.out";

  /** Cairn's own files of the IAM evaluator (script and lock files, no node_modules). */
  public static final String IAM_CHECK = "cairn-sandbox-iam-check";

  /** A file every bundled directory holds at its top (a jar need not list directories). */
  private static final java.util.List<String> MARKERS =
      java.util.List.of("manifest.json", "package.json");

  private BundledFiles() {}

  /**
   * Copies the classpath directory {@code resourceDir} (its files and subdirectories) into {@code
   * target}, which is created.
   *
   * @throws IllegalStateException when the directory is not on the classpath (a build without it)
   */
  public static Path copy(String resourceDir, Path target) {
    URL marker = null;
    for (String file : MARKERS) {
      marker =
          marker != null
              ? marker
              : BundledFiles.class.getClassLoader().getResource(resourceDir + "/" + file);
    }
    if (marker == null) {
      throw new IllegalStateException(
          resourceDir + " is not on the classpath: build the sandbox module (./mvnw package)");
    }
    try {
      URI uri = marker.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException e) {
          fs = FileSystems.newFileSystem(uri, Map.of());
        }
        DirectoryCopy.copyTree(fs.getPath("/" + resourceDir), target);
      } else {
        DirectoryCopy.copyTree(Path.of(uri).getParent(), target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
