package dev.cairn.cli.manifest;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.provenance.CommitSignature;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.manifest.ManifestFactory.BuildFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn manifest create}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Hash every file of a cdk.out and write an unsigned artifact-manifest.json.",
      "Assets are read from the assembly's *.assets.json files. Symlinks, unsafe paths",
      "and paths that differ only in case are refused here, not at deploy time."
    },
    footerHeading = "%nExample:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the manifest was written",
      "1:the commit's signature was checked and refused (the reason's code is printed:"
          + " COMMIT_UNSIGNED, COMMIT_SIGNER_NOT_ALLOWED, COMMIT_SIGNATURE_INVALID,"
          + " COMMIT_NOT_ON_REQUIRED_REF, COMMIT_NOT_FOUND)",
      "2:usage or I/O error"
    },
    footer = {
      "  cairn manifest create --service orders --cdk-out cdk.out \\",
      "      --commit $(git rev-parse HEAD) --source-ref refs/heads/main \\",
      "      --repo . --allowed-signers .github/allowed_signers --context .cdk.context.json \\",
      "      --cdk-cli-version 2.1148.1 --out artifact-manifest.json"
    })
public final class ManifestCreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--service", required = true, description = "Service name.")
  String service;

  @Option(
      names = "--cdk-out",
      required = true,
      description = "The synthesized cloud assembly directory.")
  Path cdkOut;

  @Option(names = "--commit", required = true, description = "Full git commit SHA.")
  String commit;

  @Option(
      names = "--source-ref",
      required = true,
      description = "The ref CI built from, e.g. refs/heads/main.")
  String sourceRef;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "The checked-out repository: the commit's signature is verified there, against"
              + " --allowed-signers, and the commit must be reachable from --required-ref.")
  Path repo;

  @Option(
      names = "--allowed-signers",
      paramLabel = "FILE",
      description =
          "Who may sign commits, committed to the repository: an armored OpenPGP keyring"
              + " (gpg-signed commits) or an SSH allowed-signers file in git's"
              + " gpg.ssh.allowedSignersFile format (SSH-signed commits); detected from the"
              + " content.")
  Path allowedSigners;

  @Option(
      names = "--required-ref",
      paramLabel = "REF",
      defaultValue = "main",
      description = "The ref the commit must be reachable from (default: ${DEFAULT-VALUE}).")
  String requiredRef;

  @Option(
      names = "--git-signature-verified",
      arity = "1",
      description =
          "Instead of --repo: assert (true/false) that the commit's signature was verified"
              + " elsewhere. Recorded as asserted; verifiers refuse it unless the trust policy"
              + " sets allow_asserted_git_signature.")
  String gitSignatureVerified;

  @Option(
      names = "--context",
      required = true,
      description = "The .cdk.context.json used for synth (its SHA-256 becomes cdk_context_hash).")
  Path context;

  @Option(
      names = "--cdk-cli-version",
      required = true,
      description = "The CDK CLI version used for synth.")
  String cdkCliVersion;

  @Option(
      names = "--cdk-library-version",
      paramLabel = "NAME=VERSION",
      description = "A CDK library version (repeatable), e.g. aws-cdk-lib=2.263.0.")
  List<String> libraryVersions = List.of();

  @Option(names = "--build-time", description = "ISO 8601 UTC build time (default: now).")
  String buildTime;

  @Option(
      names = "--build-duration-seconds",
      description = "Build duration in seconds (default: 0).")
  double buildDurationSeconds;

  @Option(names = "--out", required = true, description = "Where to write the manifest.")
  Path out;

  private final Clock clock;

  public ManifestCreateCommand() {
    this(Clock.systemUTC());
  }

  ManifestCreateCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException, ManifestFactory.UnpublishableArtifactException {
    ArtifactManifest.GitSignature gitSignature = null;
    boolean signed;
    if (repo != null || allowedSigners != null) {
      if (repo == null || allowedSigners == null || gitSignatureVerified != null) {
        throw new CliIo.UsageException(
            "give --repo and --allowed-signers together, or --git-signature-verified alone");
      }
      try {
        CommitSignature.Verified v =
            new CommitSignature(repo)
                .verify(
                    commit,
                    CliIo.readString(allowedSigners, CliIo.Input.ALLOWED_SIGNERS),
                    requiredRef,
                    clock.instant());
        gitSignature =
            new ArtifactManifest.GitSignature(
                v.method(), v.signer(), v.principal(), v.requiredRef());
        signed = true;
        spec.commandLine()
            .getErr()
            .printf(
                "commit %s: %s signature by %s (%s), on %s%n",
                commit, v.method(), v.signer(), v.principal(), v.requiredRef());
      } catch (CommitSignature.RefusedException e) {
        spec.commandLine().getErr().println("refused " + e.code() + ": " + e.getMessage());
        return CairnCli.EXIT_FAILED;
      } catch (IllegalArgumentException e) {
        throw new CliIo.UsageException(e.getMessage(), e);
      }
    } else if (gitSignatureVerified == null) {
      throw new CliIo.UsageException(
          "give --repo and --allowed-signers (the commit's signature is verified here), or"
              + " --git-signature-verified true|false (asserted)");
    } else if (gitSignatureVerified.equals("true") || gitSignatureVerified.equals("false")) {
      signed = gitSignatureVerified.equals("true");
    } else {
      throw new CliIo.UsageException("--git-signature-verified must be true or false");
    }
    if (!Files.isDirectory(cdkOut)) {
      throw new CliIo.UsageException("--cdk-out " + cdkOut + " is not a directory");
    }
    String contextHash;
    CliIo.requireRegularFile(context, "--context");
    try (InputStream in = Files.newInputStream(context)) {
      contextHash = ManifestFactory.contextHash(in);
    } catch (IOException e) {
      throw new CliIo.UsageException("cannot read --context " + context + ": " + e.getMessage(), e);
    }
    Map<String, String> libs = new LinkedHashMap<>();
    for (String lv : libraryVersions) {
      int eq = lv.indexOf('=');
      if (eq <= 0) {
        throw new CliIo.UsageException("--cdk-library-version must be NAME=VERSION, got " + lv);
      }
      libs.put(lv.substring(0, eq), lv.substring(eq + 1));
    }
    BuildFacts facts =
        new BuildFacts(
            service,
            commit,
            sourceRef,
            signed,
            cdkCliVersion,
            contextHash,
            libs,
            buildTime != null
                ? buildTime
                : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
            buildDurationSeconds,
            gitSignature);
    var manifest = ManifestFactory.create(new LocalDirectoryArtifactSource(cdkOut), facts);
    CliIo.writeString(out, Json.pretty(manifest) + "\n", false);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %d files, %d assets, artifact_sha256 %s%n",
            out,
            manifest.get("file_hashes").size(),
            manifest.get("assets").size(),
            manifest.get("artifact_sha256").asText());
    return CairnCli.EXIT_OK;
  }
}
