package dev.cairn.cli.key;

import picocli.CommandLine.Command;

/** {@code cairn key}: local signing keys. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Manage local signing keys (for CI without KMS, sandboxes and tests).",
    subcommands = {KeyGenerateCommand.class})
public final class KeyCommand {}
