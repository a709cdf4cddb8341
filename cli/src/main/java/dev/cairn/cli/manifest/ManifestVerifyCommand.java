package dev.cairn.cli.manifest;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.common.OutputFormat;
import dev.cairn.core.failure.Failure;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ManifestParser;
import dev.cairn.core.trust.TrustPolicy;
import dev.cairn.core.trust.TrustPolicyException;
import dev.cairn.core.verify.ArtifactVerifier;
import dev.cairn.core.verify.Expectations;
import dev.cairn.core.verify.ProgressListener;
import dev.cairn.core.verify.VerificationReport;
import dev.cairn.core.verify.VerifierOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn manifest verify}. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a cdk.out against its signed manifest, fail-closed, gate by gate.",
      "The gates: MANIFEST_STRUCTURE, SIGNATURE, COMMIT_PROVENANCE, FILE_INTEGRITY, ARTIFACT_DIGEST,",
      "CONTEXT_HASH, CLI_VERSION, ASSET_INTEGRITY. The first failing gate rejects the artifact."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:accepted",
      "1:rejected (the report names the gate and code)",
      "2:usage or I/O error: --manifest or --trust-policy absent or not a regular file, a trust"
          + " policy over 1 MiB, --cdk-out not a directory"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn manifest verify --cdk-out cdk.out --manifest artifact-manifest.json \\",
      "      --trust-policy trust-policy.json",
      "  cairn manifest verify ... --expected-artifact-sha256 <hex> --format json > report.json"
    })
public final class ManifestVerifyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--cdk-out", required = true, description = "The cloud assembly directory.")
  Path cdkOut;

  @Option(names = "--manifest", required = true, description = "The signed artifact-manifest.json.")
  Path manifestFile;

  @Option(
      names = "--trust-policy",
      required = true,
      description = "The trust policy (schema/trust-policy.v1.json).")
  Path trustPolicyFile;

  @Option(
      names = "--expected-artifact-sha256",
      paramLabel = "HEX",
      description = "The artifact_sha256 the ledger records.")
  String expectedArtifactSha256;

  @Option(
      names = "--expected-context-hash",
      paramLabel = "HEX",
      description = "The blessed context's SHA-256.")
  String expectedContextHash;

  @Option(
      names = "--expected-service",
      description = "The service the artifact was published under.")
  String expectedService;

  @Option(
      names = "--expected-commit",
      paramLabel = "SHA",
      description = "The commit the artifact was published under.")
  String expectedCommit;

  @Option(names = "--threads", description = "Hashing threads (default: cores, at most 8).")
  Integer threads;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (the verification report). Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  private final Clock clock;

  public ManifestVerifyCommand() {
    this(Clock.systemUTC());
  }

  ManifestVerifyCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    VerifierOptions options = VerifierOptions.local();
    if (threads != null) {
      options = options.withHashThreads(threads);
    }
    // The hashing starts first, on threads of its own, while this thread reads the trust policy
    // and the manifest: in a fresh JVM those take a few tenths of a second that the hashing need
    // not wait for. Nothing it finds is used before FILE_INTEGRITY; an error below stops it.
    ArtifactVerifier.Hashing hashing =
        Files.isDirectory(cdkOut)
            ? ArtifactVerifier.startHashing(
                LocalDirectoryArtifactSource.forVerification(cdkOut, manifestFile), options)
            : null;
    try {
      return verify(hashing, options);
    } finally {
      if (hashing != null) {
        hashing.close();
      }
    }
  }

  private int verify(ArtifactVerifier.Hashing hashing, VerifierOptions options) throws IOException {
    TrustPolicy policy;
    try {
      policy = TrustPolicy.parse(CliIo.readBytes(trustPolicyFile, CliIo.Input.TRUST_POLICY));
    } catch (TrustPolicyException e) {
      throw new CliIo.UsageException("trust policy " + trustPolicyFile + ": " + e.getMessage(), e);
    }
    if (hashing == null) {
      throw new CliIo.UsageException("--cdk-out " + cdkOut + " is not a directory");
    }
    Expectations expected;
    try {
      expected =
          new Expectations(
              expectedService,
              lower(expectedCommit),
              lower(expectedArtifactSha256),
              lower(expectedContextHash));
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException(e.getMessage(), e);
    }
    byte[] manifest;
    // Absent, a directory, FIFO or device: an I/O error (exit 2) naming the path, not a rejection;
    // reading a FIFO would block forever.
    CliIo.requireRegularFile(manifestFile, "manifest");
    try (InputStream in = Files.newInputStream(manifestFile)) {
      // Never more than the parser accepts (+1 to detect excess): a hostile 100 GB manifest costs
      // 32 MiB, not an OutOfMemoryError, and is rejected as MANIFEST_TOO_LARGE (exit 1).
      manifest = in.readNBytes(ManifestParser.MAX_MANIFEST_BYTES + 1);
    } catch (IOException e) {
      throw new CliIo.UsageException(
          "cannot read manifest " + manifestFile + ": " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String nameCharset = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (!nameCharset.equalsIgnoreCase("UTF-8")) {
      // Non-ASCII file names would be read as U+FFFD and a valid artifact refused.
      err.println(
          "warning: this JVM decodes file names as "
              + nameCharset
              + ", not UTF-8; run under a UTF-8 locale (LC_ALL=C.UTF-8, as cli/bin/cairn does)");
    }
    ProgressListener progress =
        format == OutputFormat.json ? ProgressListener.NONE : new TextProgress(out, err);
    VerificationReport report =
        new ArtifactVerifier(policy, options, clock).verify(manifest, hashing, expected, progress);
    if (format == OutputFormat.json) {
      out.println(Json.pretty(report.toJson()));
    } else {
      if (report.accepted()) {
        out.printf(
            "ACCEPTED %s @ %s  artifact_sha256 %s%n",
            report.service(), report.commit(), report.digests().get("artifact_sha256"));
      } else {
        out.printf("REJECTED at %s%n", report.firstFailure().gate());
        for (Failure f : report.failures()) {
          out.printf("  %s %s%n", f.code(), f.detail());
        }
      }
    }
    out.flush();
    return report.accepted() ? CairnCli.EXIT_OK : CairnCli.EXIT_FAILED;
  }

  /** Hex from a ledger or a shell may be upper-case; the manifest's is always lower-case. */
  private static String lower(String hex) {
    return hex == null ? null : hex.strip().toLowerCase(java.util.Locale.ROOT);
  }

  /** Gate lines on stdout; hashing progress on stderr for large artifacts. */
  private static final class TextProgress implements ProgressListener {
    private final PrintWriter out;
    private final PrintWriter err;

    TextProgress(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void gatePassed(Gate gate, String note) {
      out.printf("  pass  %-18s %s%n", gate, note);
      out.flush();
    }

    @Override
    public void gateFailed(Gate gate, Failure first) {
      out.printf("  FAIL  %-18s %s%n", gate, first.code());
      out.flush();
    }

    @Override
    public void hashed(long bytesDone, long bytesTotal, int filesDone, int filesTotal) {
      if (bytesTotal >= 64L * 1024 * 1024) {
        err.printf(
            "  hashing %s / %s (%d/%d files)%n",
            CliIo.bytes(bytesDone), CliIo.bytes(bytesTotal), filesDone, filesTotal);
        err.flush();
      }
    }
  }
}
