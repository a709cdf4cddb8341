package dev.cairn.cli.evidence;

import picocli.CommandLine.Command;

/** {@code cairn evidence}. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = {
      "Read, verify and attest release evidence records (docs/runbooks/evidence.md).",
      "The control plane writes one per artifact, environment and execution, in the release",
      "bucket under {service}/{commit_sha}/cairn-evidence/release-evidence-*.json."
    },
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed, or no record exists",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {
      EvidenceShowCommand.class,
      EvidenceVerifyCommand.class,
      EvidenceAttestCommand.class
    })
public final class EvidenceCommand {}
