package dev.cairn.cli.manifest;

import picocli.CommandLine.Command;

/** {@code cairn manifest}: create, sign and verify artifact manifests. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Create, sign and verify artifact-manifest.json for a synthesized cdk.out.",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {
      ManifestCreateCommand.class,
      ManifestSignCommand.class,
      ManifestCanonicalCommand.class,
      ManifestAttachSignatureCommand.class,
      ManifestVerifyCommand.class
    })
public final class ManifestCommand {}
