package dev.cairn.cli.provenance;

import dev.cairn.core.signature.PgpKeys;
import dev.cairn.core.signature.PgpSignatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * Check 3 of the build ("the commit was signed"), verified rather than asserted: the commit's
 * signature in the checked-out repository, against signers committed with it, and the commit's
 * place on the required ref.
 *
 * <p>The commit object comes from {@code git cat-file} (the bytes git hashed into the commit id),
 * its {@code gpgsig} header is split off exactly as {@code git verify-commit} does, and the
 * signature is checked here: OpenPGP against an armored keyring, SSH ({@code SSHSIG}, namespace
 * {@code git}) against an allowed-signers file in git's {@code gpg.ssh.allowedSignersFile} format.
 * Neither the user's gpg keyring nor git's configuration takes part, so the answer depends only on
 * the repository and the file.
 */
public final class CommitSignature {

  /** Why a commit is refused; each is a stable code. */
  public enum Refusal {
    COMMIT_NOT_FOUND,
    COMMIT_UNSIGNED,
    COMMIT_SIGNATURE_INVALID,
    COMMIT_SIGNER_NOT_ALLOWED,
    COMMIT_NOT_ON_REQUIRED_REF
  }

  /** A refused commit, with its code. */
  public static final class RefusedException extends Exception {
    private final Refusal code;

    RefusedException(Refusal code, String message) {
      super(message);
      this.code = code;
    }

    public Refusal code() {
      return code;
    }
  }

  /**
   * A verified commit signature.
   *
   * @param method {@code openpgp} or {@code ssh}
   * @param signer the key's fingerprint (OpenPGP v4 hex, or {@code SHA256:…} for SSH)
   * @param principal the allowed signer's name (an SSH principal, or the OpenPGP user id)
   * @param requiredRef the ref the commit was found on
   */
  public record Verified(String method, String signer, String principal, String requiredRef) {}

  private final Path repo;
  private final Path git;

  /** Verifies in {@code repo} with {@code git} from PATH. */
  public CommitSignature(Path repo) {
    this(repo, Path.of("git"));
  }

  CommitSignature(Path repo, Path git) {
    this.repo = repo;
    this.git = git;
  }

  /**
   * Verifies that {@code commit} is signed by a key of {@code allowedSigners} (content: an armored
   * OpenPGP keyring, or SSH allowed-signers lines) and is reachable from {@code requiredRef}.
   */
  public Verified verify(String commit, String allowedSigners, String requiredRef, Instant now)
      throws RefusedException {
    byte[] object = commitObject(commit);
    SignedCommit signed = SignedCommit.split(object);
    if (signed.signature().isEmpty()) {
      throw new RefusedException(Refusal.COMMIT_UNSIGNED, "commit " + commit + " is not signed");
    }
    String signature = signed.signature().get();
    Verified v =
        PgpKeys.looksArmoredPublicKey(allowedSigners)
            ? openPgp(commit, signed.payload(), signature, allowedSigners, requiredRef, now)
            : ssh(commit, signed.payload(), signature, allowedSigners, requiredRef);
    if (!isAncestor(commit, requiredRef)) {
      throw new RefusedException(
          Refusal.COMMIT_NOT_ON_REQUIRED_REF,
          "commit " + commit + " is not reachable from " + requiredRef);
    }
    return v;
  }

  private static Verified openPgp(
      String commit,
      byte[] payload,
      String signature,
      String keyring,
      String requiredRef,
      Instant now)
      throws RefusedException {
    if (!signature.strip().startsWith("-----BEGIN PGP SIGNATURE-----")) {
      throw new RefusedException(
          Refusal.COMMIT_SIGNER_NOT_ALLOWED,
          "commit " + commit + " is not OpenPGP-signed, and the allowed signers are OpenPGP keys");
    }
    List<PGPPublicKeyRing> rings = rings(keyring);
    for (PGPPublicKeyRing ring : rings) {
      if (PgpSignatures.verify(ring, payload, signature.getBytes(StandardCharsets.US_ASCII), now)) {
        String userId =
            ring.getPublicKey().getUserIDs().hasNext()
                ? ring.getPublicKey().getUserIDs().next()
                : "";
        return new Verified("openpgp", PgpKeys.fingerprint(ring), userId, requiredRef);
      }
    }
    throw new RefusedException(
        Refusal.COMMIT_SIGNER_NOT_ALLOWED,
        "commit "
            + commit
            + "'s OpenPGP signature is not a valid signature by any of the "
            + rings.size()
            + " allowed keys");
  }

  private static List<PGPPublicKeyRing> rings(String armored) {
    try (InputStream in =
        PGPUtil.getDecoderStream(
            new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
      List<PGPPublicKeyRing> out = new ArrayList<>();
      new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator())
          .getKeyRings()
          .forEachRemaining(out::add);
      return out;
    } catch (IOException | PGPException e) {
      throw new IllegalArgumentException(
          "the allowed signers keyring is not readable: " + e.getMessage(), e);
    }
  }

  private static Verified ssh(
      String commit, byte[] payload, String signature, String allowed, String requiredRef)
      throws RefusedException {
    Optional<SshSignatures.SshSig> parsed = SshSignatures.parse(signature);
    if (parsed.isEmpty()) {
      throw new RefusedException(
          Refusal.COMMIT_SIGNER_NOT_ALLOWED,
          "commit " + commit + " is not SSH-signed, and the allowed signers are SSH keys");
    }
    SshSignatures.SshSig sig = parsed.get();
    Optional<AllowedSigners.Entry> signer =
        AllowedSigners.parse(allowed).find(sig.publicKey(), "git");
    if (signer.isEmpty()) {
      throw new RefusedException(
          Refusal.COMMIT_SIGNER_NOT_ALLOWED,
          "commit " + commit + " is signed by " + sig.fingerprint() + ", not an allowed signer");
    }
    if (!SshSignatures.verify(sig, payload, "git")) {
      throw new RefusedException(
          Refusal.COMMIT_SIGNATURE_INVALID,
          "commit " + commit + "'s SSH signature does not verify");
    }
    return new Verified("ssh", sig.fingerprint(), signer.get().principals(), requiredRef);
  }

  private byte[] commitObject(String commit) throws RefusedException {
    if (!commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a full lowercase commit SHA is required, got " + commit);
    }
    Run type = git("cat-file", "-t", commit);
    if (type.exit() != 0
        || !new String(type.out(), StandardCharsets.UTF_8).strip().equals("commit")) {
      throw new RefusedException(
          Refusal.COMMIT_NOT_FOUND, "commit " + commit + " is not a commit in " + repo);
    }
    return git("cat-file", "commit", commit).requireOk();
  }

  private boolean isAncestor(String commit, String ref) throws RefusedException {
    Run resolved = git("rev-parse", "--verify", "--quiet", ref + "^{commit}");
    if (resolved.exit() != 0) {
      throw new RefusedException(
          Refusal.COMMIT_NOT_ON_REQUIRED_REF,
          "the required ref " + ref + " does not exist in " + repo);
    }
    Run r = git("merge-base", "--is-ancestor", commit, ref);
    if (r.exit() > 1) {
      throw new IllegalStateException(
          "git merge-base failed: " + new String(r.err(), StandardCharsets.UTF_8));
    }
    return r.exit() == 0;
  }

  private record Run(int exit, byte[] out, byte[] err) {
    byte[] requireOk() {
      if (exit != 0) {
        throw new IllegalStateException("git failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  private Run git(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(git.toString());
    cmd.add("-C");
    cmd.add(repo.toString());
    cmd.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
      var err =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      byte[] out = p.getInputStream().readNBytes(64 * 1024 * 1024);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "git " + String.join(" ", args) + " did not finish in 60 s");
      }
      return new Run(p.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run git (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** A commit object split as {@code git verify-commit} splits it. */
  record SignedCommit(byte[] payload, Optional<String> signature) {

    /**
     * Removes the {@code gpgsig} (or {@code gpgsig-sha256}) header and its continuation lines from
     * the header block; what remains is what was signed.
     */
    static SignedCommit split(byte[] object) {
      String text = new String(object, StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\n\n");
      String headers = headerEnd < 0 ? text : text.substring(0, headerEnd + 1);
      String rest = headerEnd < 0 ? "" : text.substring(headerEnd + 1);
      StringBuilder payload = new StringBuilder();
      StringBuilder sig = null;
      boolean inSig = false;
      for (String line : headers.split("\n", -1)) {
        if (line.isEmpty()) {
          continue;
        }
        if (inSig && line.startsWith(" ")) {
          sig.append('\n').append(line.substring(1));
          continue;
        }
        inSig = false;
        if ((line.startsWith("gpgsig ") || line.startsWith("gpgsig-sha256 ")) && sig == null) {
          sig = new StringBuilder(line.substring(line.indexOf(' ') + 1));
          inSig = true;
          continue;
        }
        payload.append(line).append('\n');
      }
      payload.append(rest);
      return new SignedCommit(
          payload.toString().getBytes(StandardCharsets.UTF_8),
          sig == null ? Optional.empty() : Optional.of(sig.toString() + "\n"));
    }
  }

  /** Decodes base64 the way allowed-signers files carry keys. */
  static byte[] base64(String s) {
    return Base64.getDecoder().decode(s);
  }
}
