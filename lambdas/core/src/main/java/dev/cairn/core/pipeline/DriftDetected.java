package dev.cairn.core.pipeline;

/** Drift was found before a deploy and no signed override allows it. */
public final class DriftDetected extends PipelineError {
  private static final long serialVersionUID = 1L;

  public DriftDetected(String message) {
    super(message, null);
  }

  public DriftDetected(String message, Throwable cause) {
    super(message, cause);
  }
}
