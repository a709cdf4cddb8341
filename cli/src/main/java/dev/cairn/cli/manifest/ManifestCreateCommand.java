package dev.cairn.cli.manifest;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.json.Json;
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
      "and paths that differ only in case are refused here, not at deploy time. The commit,",
      "service, source ref, versions and build time are checked against the manifest schema",
      "before any file is read."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:manifest written",
      "2:usage or I/O error: an invalid commit, service, source ref, version or build time (the"
          + " message names the field and the expected form), a cdk.out that cannot become an"
          + " artifact, an unreadable file"
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  cairn manifest create --service orders --cdk-out cdk.out \\",
      "      --commit $(git rev-parse HEAD) --source-ref refs/heads/main \\",
      "      --git-signature-verified true --context .cdk.context.json \\",
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
      names = "--git-signature-verified",
      required = true,
      arity = "1",
      description = "true if CI verified the commit's signature.")
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
    if (!gitSignatureVerified.equals("true") && !gitSignatureVerified.equals("false")) {
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
    BuildFacts facts =
        new BuildFacts(
            service,
            commit,
            sourceRef,
            Boolean.parseBoolean(gitSignatureVerified),
            cdkCliVersion,
            contextHash,
            libs,
            buildTime != null
                ? buildTime
                : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
            buildDurationSeconds);
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
