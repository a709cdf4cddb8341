package dev.cairn.core.pipeline;

/** A verification gate failed. The message is `<GATE>: <CODE>: <detail>`. */
public final class ArtifactRejected extends PipelineError {
  private static final long serialVersionUID = 1L;

  public ArtifactRejected(String message) {
    super(message, null);
  }

  public ArtifactRejected(String message, Throwable cause) {
    super(message, cause);
  }
}
