package dev.cairn.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Where each Lambda's code comes from: a shaded jar, or (in tests) a fixture directory. */
public record LambdaArtifacts(Map<CairnFunction, Path> assets) {

  public LambdaArtifacts {
    for (CairnFunction f : CairnFunction.values()) {
      if (!assets.containsKey(f)) {
        throw new IllegalArgumentException("no code asset for " + f.moduleName());
      }
    }
    assets = Map.copyOf(assets);
  }

  public Path assetFor(CairnFunction function) {
    return assets.get(function);
  }

  /**
   * The shaded jars under {@code <repoRoot>/lambdas/<name>/target/<name>.jar}; fails with the build
   * command when any is missing.
   */
  public static LambdaArtifacts fromBuiltJars(Path repoRoot) {
    Map<CairnFunction, Path> jars = new EnumMap<>(CairnFunction.class);
    List<String> missing = new ArrayList<>();
    for (CairnFunction f : CairnFunction.values()) {
      Path jar =
          repoRoot
              .resolve("lambdas")
              .resolve(f.moduleName())
              .resolve("target")
              .resolve(f.moduleName() + ".jar");
      if (!Files.isRegularFile(jar)) {
        missing.add(jar.toString());
      }
      jars.put(f, jar.toAbsolutePath().normalize());
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Lambda jars are missing:\n  "
              + String.join("\n  ", missing)
              + "\nrun ./mvnw -DskipTests package first (from the repository root)");
    }
    return new LambdaArtifacts(jars);
  }

  /** Every function uses the same directory (tests and placeholder synths). */
  public static LambdaArtifacts allFrom(Path directory) {
    Map<CairnFunction, Path> m = new EnumMap<>(CairnFunction.class);
    for (CairnFunction f : CairnFunction.values()) {
      m.put(f, directory);
    }
    return new LambdaArtifacts(m);
  }
}
