package dev.cairn.core.pipeline;

/**
 * The ledger has no record of the artifact an execution was asked to verify. S3's {@code Object
 * Created} event can reach the pipeline before CI's {@code cairn publish} has registered the
 * record, so the state machine retries this for several minutes before it gives up; it then refuses
 * the artifact as {@code ARTIFACT_DIGEST_UNEXPECTED}, since nothing vouches for its digest. The
 * message has {@link ArtifactRejected}'s shape: {@code <GATE>: <CODE>: <detail>}.
 */
public final class ArtifactNotRegistered extends PipelineError {
  private static final long serialVersionUID = 1L;

  public ArtifactNotRegistered(String message) {
    super(message, null);
  }
}
