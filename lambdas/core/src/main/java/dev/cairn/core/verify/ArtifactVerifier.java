package dev.cairn.core.verify;

import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.DirectoryHash;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.json.CanonicalJson;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ArtifactManifest.AssetDeclaration;
import dev.cairn.core.manifest.CloudAssemblyAssets;
import dev.cairn.core.manifest.ManifestFields;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustedSigner;
import dev.cairn.core.verify.VerificationReport.GateResult;
import dev.cairn.core.verify.VerificationReport.GateStatus;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides whether an artifact may be deployed. Fail-closed: the gates run in the spec's order
 * ("Signature Validation Logic", then assets) and the first gate that fails ends the verification
 * with a rejection. Nothing in the manifest is trusted before the gate that checks it.
 */
public final class ArtifactVerifier {

  private final TrustPolicy trustPolicy;
  private final VerifierOptions options;
  private final Clock clock;

  public ArtifactVerifier(TrustPolicy trustPolicy, VerifierOptions options, Clock clock) {
    this.trustPolicy = trustPolicy;
    this.options = options;
    this.clock = clock;
  }

  /**
   * Verifies {@code source} against {@code manifestBytes} (null when the manifest is absent).
   *
   * @throws IOException only when the artifact cannot be listed at all; unreadable files are
   *     verification failures
   */
  public VerificationReport verify(
      byte[] manifestBytes, ArtifactSource source, Expectations expected, ProgressListener progress)
      throws IOException {
    // The artifact is listed first, and its files hashed on the hashing threads while this thread
    // checks the manifest; the digests are compared with it only at FILE_INTEGRITY, after the
    // signature. A rejection before that gate stops the hashing (close).
    try (Hashing hashing = startHashing(source, options)) {
      return verify(manifestBytes, hashing, expected, progress);
    }
  }

  /**
   * Starts listing and hashing {@code source} now, on threads of their own, for a {@link
   * #verify(byte[], Hashing, Expectations, ProgressListener)} later: a caller that still has to
   * read its trust policy and the manifest (the CLI, in a fresh JVM) lets the hashing run
   * meanwhile. Nothing the hashing finds is used before {@link Gate#FILE_INTEGRITY}, so starting it
   * early trusts nothing earlier. Close it when the verification is over, or when the caller gives
   * up: the threads stop at their next buffer.
   */
  public static Hashing startHashing(ArtifactSource source, VerifierOptions options) {
    return new Hashing(source, FileHasher.start(source, options.hashThreads()));
  }

  /** An artifact being listed and hashed ({@link #startHashing}). */
  public static final class Hashing implements AutoCloseable {
    private final ArtifactSource source;
    private final FileHasher hasher;

    private Hashing(ArtifactSource source, FileHasher hasher) {
      this.source = source;
      this.hasher = hasher;
    }

    @Override
    public void close() {
      hasher.close();
    }
  }

  /** Verifies an artifact whose hashing was started earlier ({@link #startHashing}). */
  public VerificationReport verify(
      byte[] manifestBytes, Hashing hashing, Expectations expected, ProgressListener progress)
      throws IOException {
    return verify(manifestBytes, hashing.source, expected, progress, hashing.hasher);
  }

  private VerificationReport verify(
      byte[] manifestBytes,
      ArtifactSource source,
      Expectations expected,
      ProgressListener progress,
      FileHasher hasher)
      throws IOException {
    Run run = new Run(source.describe(), progress);
    VerificationReport rejected = provenance(manifestBytes, expected, run);
    if (rejected != null) {
      return rejected;
    }
    ArtifactManifest m = run.manifest;
    // The directory hash of the declared file hashes, while the hashing threads run (it would
    // otherwise be the verify's tail, on one core). Used at gate 5 only if every file's digest is
    // the declared one, which gate 4 checks and gate 5 checks again.
    String declaredDirectoryHash = DirectoryHash.compute(m.fileHashes());

    // 4. Every file in cdk.out matches the manifest hashes.
    Map<String, String> actual = new HashMap<>();
    List<Failure> fileFailures = checkFiles(m, hasher, progress, actual, run);
    if (!fileFailures.isEmpty()) {
      return run.failAll(fileFailures);
    }
    run.pass(
        Gate.FILE_INTEGRITY,
        actual.size() + " files, " + run.digests.get("total_bytes") + " bytes");

    // 5. artifact_sha256 matches the recomputed digest and the value in DynamoDB.
    // Gate 4 passed, so the files are the declared map. `actual` holds only digests that equal the
    // declared one for their path (checkFiles), so as many entries as the manifest declares is the
    // whole declared map: counted here rather than compared again entry by entry, in what is the
    // verify's single-threaded tail.
    boolean asDeclared = actual.size() == m.fileHashes().size();
    SortedMap<String, String> files = asDeclared ? m.fileHashes() : new TreeMap<>(actual);
    String computed = asDeclared ? declaredDirectoryHash : DirectoryHash.compute(files);
    run.digests.put("artifact_sha256", computed);
    if (!computed.equals(m.artifactSha256())) {
      return run.fail(
          Failure.of(
              FailureCode.ARTIFACT_DIGEST_MISMATCH,
              "manifest declares " + m.artifactSha256() + " but the files hash to " + computed));
    }
    if (expected.artifactSha256() == null && options.requireExpectedDigest()) {
      return run.fail(
          Failure.of(
              FailureCode.ARTIFACT_DIGEST_UNEXPECTED,
              "no ledger artifact_sha256 was supplied; this verification requires one"));
    }
    if (expected.artifactSha256() != null && !expected.artifactSha256().equals(computed)) {
      return run.fail(
          Failure.of(
              FailureCode.ARTIFACT_DIGEST_UNEXPECTED,
              "the ledger records "
                  + expected.artifactSha256()
                  + " but the artifact is "
                  + computed));
    }
    run.pass(
        Gate.ARTIFACT_DIGEST,
        expected.artifactSha256() == null
            ? "recomputed; no ledger value supplied"
            : "matches the ledger");

    // 6. The .cdk.context.json hash matches declared input: the blessed context the manifest names.
    run.digests.put("cdk_context_hash", m.cdkContextHash());
    if (m.cdkContextBless() != null) {
      run.digests.put("cdk_context_bless", m.cdkContextBless().toString());
    }
    if (expected.blessedContext() != null) {
      BlessedContextCheck.Outcome outcome = expected.blessedContext().check(m);
      if (outcome instanceof BlessedContextCheck.Outcome.Refused refused) {
        return run.fail(refused.failure());
      }
      run.pass(Gate.CONTEXT_HASH, ((BlessedContextCheck.Outcome.Blessed) outcome).note());
    } else {
      if (expected.contextHash() == null && options.requireExpectedContextHash()) {
        return run.fail(
            Failure.of(
                FailureCode.CONTEXT_HASH_MISMATCH,
                "no blessed context was supplied; this verification requires one"));
      }
      if (expected.contextHash() != null && !expected.contextHash().equals(m.cdkContextHash())) {
        return run.fail(
            Failure.of(
                FailureCode.CONTEXT_HASH_MISMATCH,
                "cdk_context_hash "
                    + m.cdkContextHash()
                    + " is not the blessed "
                    + expected.contextHash()));
      }
      run.pass(
          Gate.CONTEXT_HASH,
          expected.contextHash() == null
              ? "well-formed; no blessed hash supplied"
              : "matches the blessed context");
    }

    // 7. The CDK CLI version used is approved.
    if (!trustPolicy.allowedCdkCliVersions().contains(m.cdkCliVersion())) {
      return run.fail(
          Failure.of(
              FailureCode.CLI_VERSION_NOT_ALLOWED,
              "cdk_cli_version "
                  + m.cdkCliVersion()
                  + " is not one of "
                  + trustPolicy.allowedCdkCliVersions()));
    }
    run.pass(Gate.CLI_VERSION, m.cdkCliVersion());

    // 8. Every declared asset matches the assembly's asset manifests and files.
    List<Failure> assetFailures = checkAssets(m, source, files);
    if (!assetFailures.isEmpty()) {
      return run.failAll(assetFailures);
    }
    run.pass(Gate.ASSET_INTEGRITY, m.assets().size() + " assets");
    return run.accept();
  }

  /**
   * Gates 1 to 3 only (structure, signature, commit provenance), on the manifest alone: what the
   * registrar checks before it records a candidate. The same steps as {@link #verify}, so a
   * manifest the pipeline would reject at these gates is never registered.
   */
  public ManifestProvenance verifyProvenance(
      byte[] manifestBytes, String location, Expectations expected) {
    Run run = new Run(location, ProgressListener.NONE);
    VerificationReport rejected = provenance(manifestBytes, expected, run);
    return rejected != null
        ? ManifestProvenance.rejected(rejected.firstFailure())
        : ManifestProvenance.verified(run.manifest);
  }

  /** Gates 1 to 3; null when they pass ({@code run.manifest} is then set), else the rejection. */
  private VerificationReport provenance(byte[] manifestBytes, Expectations expected, Run run) {
    // 1. Manifest presence and structure.
    if (manifestBytes == null) {
      return run.fail(
          Failure.of(FailureCode.MANIFEST_MISSING, "no artifact-manifest.json was found"));
    }
    if (manifestBytes.length <= ManifestParser.MAX_MANIFEST_BYTES) {
      // A larger manifest was only read up to the limit: its hash would not be the file's.
      run.digests.put("manifest_sha256", Sha256.hex(manifestBytes));
    }
    ManifestParser.Result parsed = ManifestParser.parse(manifestBytes);
    if (parsed instanceof ManifestParser.Result.Invalid invalid) {
      return run.fail(invalid.failure());
    }
    var ok = (ManifestParser.Result.Parsed) parsed;
    ArtifactManifest m = ok.manifest();
    run.manifest = m;
    run.service = m.service();
    run.commit = m.commit();
    run.pass(
        Gate.MANIFEST_STRUCTURE,
        m.fileHashes().size() + " files, " + m.assets().size() + " assets declared");

    // 2. Validity of the cryptographic signature using a trusted CI key.
    TrustedSigner signer = trustPolicy.signer(m.signingIdentity()).orElse(null);
    if (signer == null) {
      return run.fail(
          Failure.of(
              FailureCode.SIGNER_UNTRUSTED,
              "signing_identity \"" + m.signingIdentity() + "\" is not in the trust policy"));
    }
    run.signer =
        new VerificationReport.Signer(
            signer.identity(), signer.algorithm().name(), signer.keyFingerprint());
    byte[] signature;
    // Standard base64 (RFC 4648 section 4) with padding; line breaks and spaces (as `base64` and
    // armored tools wrap) are ignored, but any other byte, missing padding or non-zero pad bits
    // is malformed: one signature has exactly one accepted spelling.
    String encoded = m.signature().replaceAll("[ \t\r\n]", "");
    try {
      signature = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return run.fail(
          Failure.of(
              FailureCode.SIGNATURE_MALFORMED, "signature is not base64: " + e.getMessage()));
    }
    if (!Base64.getEncoder().encodeToString(signature).equals(encoded)) {
      return run.fail(
          Failure.of(
              FailureCode.SIGNATURE_MALFORMED,
              "signature is not canonical padded base64 (RFC 4648 section 4)"));
    }
    if (signature.length == 0 || signature.length > 16 * 1024) {
      return run.fail(
          Failure.of(
              FailureCode.SIGNATURE_MALFORMED,
              "signature has an implausible length of " + signature.length + " bytes"));
    }
    byte[] signed = CanonicalJson.canonicalizeWithout(ok.json(), ManifestFields.SIGNATURE);
    run.digests.put("manifest_canonical_sha256", Sha256.hex(signed));
    if (!signer.verifies(signed, signature, clock.instant())) {
      return run.fail(
          Failure.of(
              FailureCode.SIGNATURE_INVALID,
              "the "
                  + signer.algorithm()
                  + " signature does not verify with the key pinned for "
                  + signer.identity()));
    }
    run.pass(Gate.SIGNATURE, signer.algorithm() + " by " + signer.identity());

    // 3. The commit was signed, originated from an allowed ref, and is the expected one.
    if (!m.gitSignatureVerified()) {
      return run.fail(
          Failure.of(
              FailureCode.COMMIT_NOT_SIGNED,
              "git_signature_verified is false for commit " + m.commit()));
    }
    if ((m.gitSignature() == null || !m.gitSignature().verified())
        && !trustPolicy.allowsAssertedGitSignature()) {
      return run.fail(
          Failure.of(
              FailureCode.COMMIT_SIGNATURE_ASSERTED,
              "commit "
                  + m.commit()
                  + "'s signature was asserted by CI (git_signature "
                  + (m.gitSignature() == null ? "absent" : "method asserted")
                  + "), and the trust policy does not set allow_asserted_git_signature"));
    }
    if (!trustPolicy.requiredSourceRefs().contains(m.sourceRef())) {
      return run.fail(
          Failure.of(
              FailureCode.SOURCE_REF_NOT_ALLOWED,
              "source_ref "
                  + m.sourceRef()
                  + " is not one of "
                  + trustPolicy.requiredSourceRefs()));
    }
    if (expected.service() != null && !expected.service().equals(m.service())) {
      return run.fail(
          Failure.of(
              FailureCode.SERVICE_MISMATCH,
              "manifest service " + m.service() + " is not the expected " + expected.service()));
    }
    if (expected.commit() != null && !expected.commit().equals(m.commit())) {
      return run.fail(
          Failure.of(
              FailureCode.COMMIT_MISMATCH,
              "manifest commit " + m.commit() + " is not the expected " + expected.commit()));
    }
    run.pass(Gate.COMMIT_PROVENANCE, m.sourceRef() + " @ " + m.commit());
    return null;
  }

  private static List<Failure> checkFiles(
      ArtifactManifest m,
      FileHasher hasher,
      ProgressListener progress,
      Map<String, String> actual,
      Run run)
      throws IOException {
    List<Failure> failures = new ArrayList<>();
    // The declared digests by path: each is taken out as its file is listed, and what is left is
    // missing. (A hash lookup per listed file, not a descent through the sorted map.)
    Map<String, String> unlisted = new HashMap<>(m.fileHashes());
    // Each regular file to hash, with its declared digest.
    Map<String, String> toHash = new HashMap<>();
    Map<String, String> folded = new HashMap<>();
    for (ArtifactSource.Entry e : hasher.listing()) {
      String p = e.path();
      var why = ArtifactPath.violation(p);
      if (why.isPresent()) {
        failures.add(
            Failure.at(
                FailureCode.FILE_UNSAFE_PATH, p, "artifact entry \"" + p + "\" " + why.get()));
        continue;
      }
      String other = folded.putIfAbsent(ArtifactPath.caseFoldKey(p), p);
      // Present, even when refused below: a symlink or a case twin is not also "missing".
      String declared = unlisted.remove(p);
      if (other != null) {
        failures.add(
            Failure.at(
                FailureCode.FILE_UNSAFE_PATH,
                p,
                "\"" + p + "\" and \"" + other + "\" differ only in letter case"));
        continue;
      }
      switch (e.kind()) {
        case SYMLINK ->
            failures.add(Failure.at(FailureCode.FILE_SYMLINK, p, p + " is a symbolic link"));
        case OTHER ->
            failures.add(Failure.at(FailureCode.FILE_NOT_REGULAR, p, p + " is not a regular file"));
        case FILE -> {
          if (declared == null) {
            failures.add(
                Failure.at(
                    FailureCode.FILE_UNEXPECTED,
                    p,
                    p + " is in the artifact but not in the manifest"));
          } else {
            toHash.put(p, declared);
          }
        }
      }
    }
    for (String listed : unlisted.keySet()) {
      failures.add(
          Failure.at(
              FailureCode.FILE_MISSING,
              listed,
              listed + " is in the manifest but not in the artifact"));
    }
    if (!failures.isEmpty()) {
      failures.sort(FILE_FAILURE_ORDER);
      return failures;
    }
    // Compared as each file is hashed: the comparisons overlap the hashing of the rest.
    long[] totalBytes = {0};
    int[] handedOver = {0};
    hasher.eachOutcome(
        progress,
        (path, o) -> {
          String declared = toHash.get(path);
          if (declared == null) {
            // The hashing threads hash what the listing found; anything else is a bug here, and
            // the artifact is refused rather than judged on it.
            throw new IllegalStateException("hashed a file the listing did not hand over: " + path);
          }
          handedOver[0]++;
          if (o.error() != null) {
            failures.add(
                Failure.at(
                    FailureCode.FILE_UNREADABLE,
                    path,
                    path + " could not be read: " + o.error().getMessage()));
            return;
          }
          totalBytes[0] += o.digest().size();
          if (!declared.equals(o.digest().hex())) {
            failures.add(
                Failure.at(
                    FailureCode.FILE_MODIFIED,
                    path,
                    path + " hashes to " + o.digest().hex() + "; the manifest says " + declared));
            return;
          }
          actual.put(path, declared); // only a digest equal to the declared one is kept
        });
    if (handedOver[0] != toHash.size()) {
      throw new IllegalStateException(
          (toHash.size() - handedOver[0]) + " listed files were never hashed");
    }
    run.digests.put("file_count", toHash.size());
    run.digests.put("total_bytes", totalBytes[0]);
    failures.sort(FILE_FAILURE_ORDER);
    return failures;
  }

  /**
   * The first failure is the report's headline, so entries the verifier refuses outright (an unsafe
   * name, a symlink, not a regular file) come before their consequences (a listed file that is then
   * missing), then by path.
   */
  private static final List<FailureCode> FILE_FAILURE_RANK =
      List.of(
          FailureCode.FILE_UNSAFE_PATH,
          FailureCode.FILE_SYMLINK,
          FailureCode.FILE_NOT_REGULAR,
          FailureCode.FILE_UNEXPECTED,
          FailureCode.FILE_MISSING,
          FailureCode.FILE_MODIFIED,
          FailureCode.FILE_UNREADABLE);

  private static final Comparator<Failure> FILE_FAILURE_ORDER =
      Comparator.comparing((Failure f) -> FILE_FAILURE_RANK.indexOf(f.code()))
          .thenComparing(f -> String.valueOf(f.path()));

  private static List<Failure> checkAssets(
      ArtifactManifest m, ArtifactSource source, java.util.SortedMap<String, String> fileHashes)
      throws IOException {
    List<Failure> failures = new ArrayList<>();
    List<CloudAssemblyAssets.Asset> assets;
    try {
      assets = CloudAssemblyAssets.read(source, fileHashes);
    } catch (CloudAssemblyAssets.InvalidAssetManifestException e) {
      return List.of(
          Failure.at(
              FailureCode.ASSET_MANIFEST_INVALID, e.path(), e.path() + ": " + e.getMessage()));
    }
    Map<String, List<CloudAssemblyAssets.Asset>> byId = new LinkedHashMap<>();
    for (CloudAssemblyAssets.Asset a : assets) {
      byId.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(a);
    }
    for (var entry : byId.entrySet()) {
      String id = entry.getKey();
      AssetDeclaration declared = m.assets().get(id);
      if (declared == null) {
        failures.add(
            Failure.of(
                FailureCode.ASSET_UNDECLARED,
                "asset "
                    + id
                    + " ("
                    + entry.getValue().get(0).assetManifest()
                    + ") is not declared in the manifest"));
        continue;
      }
      for (CloudAssemblyAssets.Asset a : entry.getValue()) {
        if (a.contentHash() == null) {
          failures.add(
              Failure.at(
                  FailureCode.ASSET_SOURCE_MISSING,
                  a.sourcePath(),
                  "asset "
                      + id
                      + "'s source "
                      + (a.sourcePath() == null
                          ? "is built by an executable, so it cannot be verified from the artifact"
                          : a.sourcePath() + " is not in the artifact")));
        } else if (!a.contentHash().equals(declared.hash())) {
          failures.add(
              Failure.at(
                  FailureCode.ASSET_HASH_MISMATCH,
                  a.sourcePath(),
                  "asset "
                      + id
                      + " hashes to "
                      + a.contentHash()
                      + "; the manifest declares "
                      + declared.hash()));
        }
      }
      List<String> destinations =
          entry.getValue().stream().flatMap(a -> a.destinations().stream()).toList();
      if (declared.s3Uri() != null) {
        String location = declared.s3Uri().substring("s3://".length());
        if (destinations.stream()
            .noneMatch(d -> CloudAssemblyAssets.matchesDestination(location, d))) {
          failures.add(
              Failure.of(
                  FailureCode.ASSET_DESTINATION_MISMATCH,
                  "asset "
                      + id
                      + " declares "
                      + declared.s3Uri()
                      + ", which is none of its destinations "
                      + destinations));
        }
      }
      if (declared.ecrUri() != null) {
        String uri = declared.ecrUri();
        // The digest pins what was pushed; the repository and tag say where.
        String location =
            dev.cairn.core.manifest.ImageReference.parse(uri)
                .map(dev.cairn.core.manifest.ImageReference::location)
                .orElse(uri);
        if (destinations.stream()
            .noneMatch(d -> CloudAssemblyAssets.matchesDestination(location, d))) {
          failures.add(
              Failure.of(
                  FailureCode.ASSET_DESTINATION_MISMATCH,
                  "asset "
                      + id
                      + " declares "
                      + uri
                      + ", which is none of its destinations "
                      + destinations));
        }
      }
    }
    for (String id : m.assets().keySet()) {
      if (!byId.containsKey(id)) {
        failures.add(
            Failure.of(
                FailureCode.ASSET_UNKNOWN,
                "declared asset " + id + " is in no asset manifest of the assembly"));
      }
    }
    return failures;
  }

  /** The state of one verification as the gates run. */
  private final class Run {
    final String location;
    final ProgressListener progress;
    final List<GateResult> gates = new ArrayList<>();
    final Map<String, Object> digests = new LinkedHashMap<>();
    String service;
    String commit;
    ArtifactManifest manifest;
    VerificationReport.Signer signer;

    Run(String location, ProgressListener progress) {
      this.location = location;
      this.progress = progress;
    }

    void pass(Gate gate, String note) {
      gates.add(new GateResult(gate, GateStatus.PASSED, note));
      progress.gatePassed(gate, note);
    }

    VerificationReport fail(Failure failure) {
      return failAll(List.of(failure));
    }

    VerificationReport failAll(List<Failure> failures) {
      Gate failed = failures.get(0).gate();
      gates.add(new GateResult(failed, GateStatus.FAILED, failures.size() + " failure(s)"));
      progress.gateFailed(failed, failures.get(0));
      for (Gate g : Gate.values()) {
        if (g.ordinal() > failed.ordinal()) {
          gates.add(new GateResult(g, GateStatus.NOT_EVALUATED, null));
        }
      }
      return report(VerificationReport.Verdict.REJECTED, failures);
    }

    VerificationReport accept() {
      return report(VerificationReport.Verdict.ACCEPTED, List.of());
    }

    private VerificationReport report(VerificationReport.Verdict verdict, List<Failure> failures) {
      return new VerificationReport(
          verdict, clock.instant(), location, service, commit, gates, failures, digests, signer);
    }
  }
}
