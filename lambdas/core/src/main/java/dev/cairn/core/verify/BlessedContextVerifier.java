package dev.cairn.core.verify;

import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.context.ContextKeys;
import dev.cairn.core.context.ContextRevocation;
import dev.cairn.core.context.SignatureArmor;
import dev.cairn.core.context.port.BlessedContextStore;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFields;
import dev.cairn.core.trust.TrustedSigner;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Gate 6 as the pipeline runs it: the context the manifest names ({@code cdk_context_bless}) is
 * read at exactly its version, must carry a signature by a trusted context-blessing key, must not
 * be revoked, and must hash to the signed {@code cdk_context_hash}. Nothing is read from {@code
 * latest}: another bless of the environment afterwards changes nothing for this artifact.
 */
public final class BlessedContextVerifier implements BlessedContextCheck {

  private final BlessedContextStore store;
  private final List<TrustedSigner> contextSigners;
  private final Clock clock;

  public BlessedContextVerifier(
      BlessedContextStore store, List<TrustedSigner> contextSigners, Clock clock) {
    this.store = store;
    this.contextSigners = List.copyOf(contextSigners);
    this.clock = clock;
  }

  @Override
  public Outcome check(ArtifactManifest m) {
    // 6a. The manifest names the bless it was built with.
    ContextBlessReference bless = m.cdkContextBless();
    if (bless == null) {
      return refused(
          FailureCode.CONTEXT_BLESS_MISSING,
          "the manifest has no "
              + ManifestFields.CDK_CONTEXT_BLESS
              + "; build with cairn context fetch --bless-out and pass it to cairn manifest create");
    }
    ContextKeys keys = bless.keys();
    if (keys.isLatest()) {
      return refused(
          FailureCode.CONTEXT_NOT_BLESSED,
          bless.objectKey()
              + " is the latest copy, which every bless overwrites; a manifest must"
              + " name the dated bless");
    }
    // 6b. Exactly that version exists.
    byte[] context = store.get(keys.context(), bless.versionId()).orElse(null);
    if (context == null) {
      return refused(
          FailureCode.CONTEXT_NOT_BLESSED,
          "no context object " + bless + " in the contexts bucket");
    }
    // 6c. A trusted context-blessing key signed those bytes.
    String signer = signerOf(keys, context).orElse(null);
    if (signer == null) {
      return refused(
          FailureCode.CONTEXT_NOT_BLESSED,
          bless
              + " has no signature by a trusted context-blessing key "
              + contextSigners.stream().map(TrustedSigner::identity).toList());
    }
    // 6d. The bless was not revoked. Any revocation refuses: only the context generator can write
    // one, and one that does not verify means the bucket is not what it should be.
    Optional<byte[]> revocation = store.get(keys.revocation());
    if (revocation.isPresent()) {
      ContextRevocation r = ContextRevocation.parse(revocation.get()).orElse(null);
      boolean signed = signerOf(keys, revocation.get(), true).isPresent();
      return refused(
          FailureCode.CONTEXT_BLESS_REVOKED,
          keys.context()
              + " was revoked"
              + (r == null
                  ? ""
                  : " at " + r.revokedAt() + " by " + r.revokedBy() + ": " + r.reason())
              + (signed ? "" : " (the revocation's signature does not verify)"));
    }
    // 6e. Its hash is the one the artifact declares.
    String hash = Sha256.hex(context);
    if (!hash.equals(m.cdkContextHash())) {
      return refused(
          FailureCode.CONTEXT_HASH_MISMATCH,
          "cdk_context_hash " + m.cdkContextHash() + " is not the hash " + hash + " of " + bless);
    }
    return new Outcome.Blessed(bless + " blessed by " + signer);
  }

  private Optional<String> signerOf(ContextKeys keys, byte[] context) {
    return signerOf(keys, context, false);
  }

  /** The identity of the trusted context signer whose sidecar signature verifies, if any. */
  private Optional<String> signerOf(ContextKeys keys, byte[] content, boolean revocation) {
    for (TrustedSigner s : contextSigners) {
      ContextKeys.SignatureKind kind = ContextKeys.kindOf(s.algorithm());
      String sidecarKey = revocation ? keys.revocationSignature(kind) : keys.signature(kind);
      byte[] sidecar = store.get(sidecarKey).orElse(null);
      byte[] signature = sidecar == null ? null : SignatureArmor.decode(kind, sidecar);
      if (signature != null && verifies(s, content, signature)) {
        return Optional.of(s.identity());
      }
    }
    return Optional.empty();
  }

  private boolean verifies(TrustedSigner s, byte[] content, byte[] signature) {
    try {
      return s.verifies(content, signature, clock.instant());
    } catch (RuntimeException e) {
      // A malformed signature is one that does not verify.
      return false;
    }
  }

  private static Outcome refused(FailureCode code, String detail) {
    return new Outcome.Refused(Failure.of(code, detail));
  }
}
