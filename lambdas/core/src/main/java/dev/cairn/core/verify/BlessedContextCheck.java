package dev.cairn.core.verify;

import dev.cairn.core.failure.Failure;
import dev.cairn.core.manifest.ArtifactManifest;
import java.io.IOException;

/**
 * Gate 6's check of the context an artifact was built with: the bless the manifest names ({@code
 * cdk_context_bless}) is a blessed, signed, unrevoked context whose hash is {@code
 * cdk_context_hash}. Called only after the manifest's signature verified.
 */
@FunctionalInterface
public interface BlessedContextCheck {

  /**
   * @throws IOException when the blessed context could not be read (transient: retried)
   */
  Outcome check(ArtifactManifest manifest) throws IOException;

  /** Blessed (with a note for the report), or refused with its failure. */
  sealed interface Outcome {
    record Blessed(String note) implements Outcome {}

    record Refused(Failure failure) implements Outcome {}
  }
}
