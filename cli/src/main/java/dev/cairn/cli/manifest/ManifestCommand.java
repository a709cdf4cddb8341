package dev.cairn.cli.manifest;

import picocli.CommandLine.Command;

/** {@code cairn manifest}: create, sign and verify artifact manifests. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Create, sign and verify artifact-manifest.json for a synthesized cdk.out.",
    subcommands = {
      ManifestCreateCommand.class,
      ManifestSignCommand.class,
      ManifestCanonicalCommand.class,
      ManifestAttachSignatureCommand.class,
      ManifestVerifyCommand.class
    })
public final class ManifestCommand {}
