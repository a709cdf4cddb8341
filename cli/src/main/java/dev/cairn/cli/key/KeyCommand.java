package dev.cairn.cli.key;

import picocli.CommandLine.Command;

/** {@code cairn key}: local signing keys. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = "Manage local signing keys (for CI without KMS, sandboxes and tests).",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {KeyGenerateCommand.class})
public final class KeyCommand {}
