package dev.cairn.cli.manifest;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.cli.provenance.CommitSignature;
import dev.cairn.core.context.ContextBlessReference;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
import dev.cairn.core.manifest.ArtifactManifest;
import dev.cairn.core.manifest.ManifestFactory;
import dev.cairn.core.manifest.ManifestFactory.BuildFacts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
      "and paths that differ only in case are refused here, not at deploy time. The commit,",
      "service, source ref, versions and build time are checked against the manifest schema",
      "before any file is read. commit_time (where DeployLatency starts) is the commit's",
      "committer time: from `git show -s --format=%%cI <commit>` in --repo, or --commit-time;",
      "without either the manifest has none and DeployLatency starts at build_time."
    },
    footerHeading = "%nExample:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the manifest was written",
      "1:the commit's signature was checked and refused (the reason's code is printed:"
          + " COMMIT_UNSIGNED, COMMIT_SIGNER_NOT_ALLOWED, COMMIT_SIGNATURE_INVALID,"
          + " COMMIT_NOT_ON_REQUIRED_REF, COMMIT_NOT_FOUND)",
      "2:usage or I/O error: an invalid commit, service, source ref, version or build time (the"
          + " message names the field and the expected form), a cdk.out that cannot become an"
          + " artifact, an unreadable file"
    },
    footer = {
      "  cairn manifest create --service orders --cdk-out cdk.out \\",
      "      --commit $(git rev-parse HEAD) --source-ref refs/heads/main \\",
      "      --repo . --allowed-signers .github/cairn/allowed_signers --context .cdk.context.json \\",
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
          "The checked-out repository holding --commit: commit_time is read from it and, with"
              + " --allowed-signers, the commit's signature is verified there and the commit must"
              + " be reachable from --required-ref.")
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
      names = "--context-bless",
      description =
          "The bless --context was fetched from, as cairn context fetch --bless-out writes it"
              + " ({object_key, version_id, cdk_context_hash}); recorded as the signed"
              + " cdk_context_bless. The deploy pipeline refuses a manifest without one.")
  Path contextBless;

  @Option(
      names = "--context-object",
      description =
          "Instead of --context-bless: the bless's object key ({env}/{date}.context.json).")
  String contextObject;

  @Option(
      names = "--context-version-id",
      description = "With --context-object: the bless's S3 version id.")
  String contextVersionId;

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

  @Option(
      names = "--commit-time",
      paramLabel = "TIME",
      description = "The commit's time, RFC 3339 (converted to UTC), when there is no --repo.")
  String commitTime;

  @Option(names = "--build-time", description = "ISO 8601 UTC build time (default: now).")
  String buildTime;

  @Option(
      names = "--build-duration-seconds",
      description = "Build duration in seconds (default: 0).")
  double buildDurationSeconds;

  @Option(
      names = "--image",
      paramLabel = "ASSET=IMAGE",
      description =
          "A Docker image asset as CI pushed it (repeatable): its asset id, then"
              + " <registry>/<repository>:<tag>@sha256:<digest> of one of its destinations, the"
              + " digest ECR or `docker push` reported. Recorded as the asset's signed ecrUri; the"
              + " deploy refuses an image whose destination tag names another digest"
              + " (ASSET_IMAGE_DIGEST_MISMATCH). Every image asset needs one once any is given.")
  List<String> images = List.of();

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
    if (allowedSigners != null) {
      if (repo == null || gitSignatureVerified != null) {
        throw new CliIo.UsageException(
            "--allowed-signers needs --repo, and replaces --git-signature-verified");
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
    ManifestSchemaFields schema = ManifestSchemaFields.load();
    schema.require(
        "service",
        "--service",
        service,
        "1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    schema.require(
        "commit", "--commit", commit, "the full commit SHA: 40 or 64 lowercase hex digits");
    schema.require(
        "source_ref", "--source-ref", sourceRef, "refs/heads/<branch> or refs/tags/<tag>");
    schema.require(
        "cdk_cli_version", "--cdk-cli-version", cdkCliVersion, "a version such as 2.1148.1");
    if (buildTime != null) {
      schema.require(
          "build_time", "--build-time", buildTime, "ISO 8601 UTC, e.g. 2026-12-06T10:00:00Z");
    }
    if (!(buildDurationSeconds >= 0) || Double.isInfinite(buildDurationSeconds)) {
      throw new CliIo.UsageException(
          "--build-duration-seconds must be a finite number of seconds, 0 or more; got "
              + buildDurationSeconds);
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
    ContextBlessReference bless = contextBless(contextHash);
    Map<String, String> libs = new LinkedHashMap<>();
    for (String lv : libraryVersions) {
      int eq = lv.indexOf('=');
      if (eq <= 0 || eq == lv.length() - 1) {
        throw new CliIo.UsageException("--cdk-library-version must be NAME=VERSION, got " + lv);
      }
      // A library version is the same kind of version as the CLI's (aws-cdk-lib=2.263.0).
      schema.require(
          "cdk_cli_version",
          "--cdk-library-version " + lv.substring(0, eq),
          lv.substring(eq + 1),
          "a version such as 2.263.0");
      libs.put(lv.substring(0, eq), lv.substring(eq + 1));
    }
    String committed = commitTime();
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
            gitSignature,
            committed);
    var source = new LocalDirectoryArtifactSource(cdkOut);
    var manifest = ManifestFactory.create(source, facts);
    Map<String, String> pinned = new LinkedHashMap<>();
    for (String image : images) {
      int eq = image.indexOf('=');
      if (eq <= 0 || eq == image.length() - 1) {
        throw new CliIo.UsageException("--image must be ASSET=IMAGE, got " + image);
      }
      if (pinned.put(image.substring(0, eq), image.substring(eq + 1)) != null) {
        throw new CliIo.UsageException("--image names asset " + image.substring(0, eq) + " twice");
      }
    }
    if (!pinned.isEmpty()) {
      manifest = ManifestFactory.withImages(manifest, source, pinned);
    } else if (hasImageAssets(manifest, source)) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: no --image: the deploy pipeline refuses image assets whose digest the"
                  + " manifest does not pin (ASSET_IMAGE_NOT_PINNED)");
    }
    if (bless != null) {
      manifest = ManifestFactory.withContextBless(manifest, bless);
    } else {
      spec.commandLine()
          .getErr()
          .println(
              "warning: no --context-bless: the deploy pipeline refuses artifacts that do not name"
                  + " the blessed context they were built with (CONTEXT_BLESS_MISSING)");
    }
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

  private static boolean hasImageAssets(
      com.fasterxml.jackson.databind.node.ObjectNode manifest, LocalDirectoryArtifactSource source)
      throws IOException {
    java.util.TreeMap<String, String> files = new java.util.TreeMap<>();
    manifest
        .path("file_hashes")
        .fields()
        .forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
    try {
      return dev.cairn.core.manifest.CloudAssemblyAssets.read(source, files).stream()
          .anyMatch(a -> a.kind() == dev.cairn.core.manifest.CloudAssemblyAssets.Kind.DOCKER_IMAGE);
    } catch (dev.cairn.core.manifest.CloudAssemblyAssets.InvalidAssetManifestException e) {
      return false; // create() has read the same manifests: not reached
    }
  }

  /**
   * The bless from {@code --context-bless FILE} or {@code --context-object/--context-version-id};
   * null when neither is given. A bless file's hash must be the one of {@code --context}: a build
   * that synthesized with other bytes than it fetched must not name that bless.
   */
  private ContextBlessReference contextBless(String contextHash) {
    if ((contextObject == null) != (contextVersionId == null)) {
      throw new CliIo.UsageException("--context-object and --context-version-id go together");
    }
    if (contextBless != null && contextObject != null) {
      throw new CliIo.UsageException("give --context-bless or --context-object, not both");
    }
    try {
      if (contextObject != null) {
        return new ContextBlessReference(contextObject, contextVersionId);
      }
      if (contextBless == null) {
        return null;
      }
      CliIo.requireRegularFile(contextBless, "--context-bless");
      com.fasterxml.jackson.databind.JsonNode json = Json.parse(Files.readAllBytes(contextBless));
      ContextBlessReference ref =
          ContextBlessReference.fromJson(json)
              .orElseThrow(
                  () ->
                      new CliIo.UsageException(
                          "--context-bless "
                              + contextBless
                              + " must hold object_key ({env}/{date}.context.json) and"
                              + " version_id, as cairn context fetch --bless-out writes it"));
      String fetched = json.path("cdk_context_hash").asText(null);
      if (fetched != null && !fetched.equals(contextHash)) {
        throw new CliIo.UsageException(
            "--context "
                + context
                + " hashes to "
                + contextHash
                + " but --context-bless "
                + contextBless
                + " is the bless of "
                + fetched
                + "; synthesize with the context you fetched");
      }
      return ref;
    } catch (IllegalArgumentException e) {
      throw new CliIo.UsageException("invalid context bless: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CliIo.UsageException(
          "cannot read --context-bless " + contextBless + ": " + e.getMessage(), e);
    }
  }

  /** commit_time in UTC: from the repository, from --commit-time, or none. */
  private String commitTime() {
    if (repo != null && commitTime != null) {
      throw new CliIo.UsageException("give --repo or --commit-time, not both");
    }
    String raw = commitTime;
    if (repo != null) {
      raw = gitCommitTime(repo, commit);
    }
    if (raw == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(raw.trim()).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw new CliIo.UsageException(
          "commit time \"" + raw.trim() + "\" is not an RFC 3339 time like 2026-01-31T12:00:00Z");
    }
  }

  /** {@code git show -s --format=%cI <commit>}: the committer date, strict ISO 8601. */
  static String gitCommitTime(Path repo, String commit) {
    if (!commit.matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
      throw new CliIo.UsageException("--commit must be a full commit SHA to read its time");
    }
    Process p;
    try {
      p =
          new ProcessBuilder("git", "-C", repo.toString(), "show", "-s", "--format=%cI", commit)
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CliIo.UsageException("git show did not finish within 30 s in " + repo);
      }
      if (p.exitValue() != 0) {
        throw new CliIo.UsageException(
            "cannot read the time of " + commit + " in " + repo + ": " + out.trim());
      }
      return out.trim();
    } catch (IOException e) {
      throw new CliIo.UsageException("cannot run git in " + repo + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliIo.UsageException("interrupted while reading the commit time", e);
    }
  }
}
