package dev.cairn.cli.evidence;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which artifact's evidence a command reads: its service, commit and release bucket. */
final class EvidenceTarget {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service.")
  String service;

  @Parameters(index = "1", paramLabel = "COMMIT", description = "The full commit SHA.")
  String commit;

  @Option(
      names = "--bucket",
      paramLabel = "B",
      defaultValue = "cdk-artifacts-release",
      description = "The release bucket. Default: ${DEFAULT-VALUE}.")
  String bucket;
}
