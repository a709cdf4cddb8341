package dev.cairn.core.failure;

import java.util.Optional;

/**
 * One reason an artifact was refused: a stable {@link FailureCode}, a detail naming the exact
 * field, file or value, and the artifact path where one applies.
 */
public record Failure(FailureCode code, String detail, String path) {

  public Failure {
    if (code == null || detail == null || detail.isBlank()) {
      throw new IllegalArgumentException("a failure needs a code and a detail");
    }
  }

  public static Failure of(FailureCode code, String detail) {
    return new Failure(code, detail, null);
  }

  public static Failure at(FailureCode code, String path, String detail) {
    return new Failure(code, detail, path);
  }

  public Gate gate() {
    return code.gate();
  }

  public Optional<String> pathIfAny() {
    return Optional.ofNullable(path);
  }
}
