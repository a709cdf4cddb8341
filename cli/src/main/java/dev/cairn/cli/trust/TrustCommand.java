package dev.cairn.cli.trust;

import picocli.CommandLine.Command;

/** {@code cairn trust}: trust policies. */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description =
        "Write trust policies: who may sign, which CDK CLI versions and refs are allowed.",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {TrustInitCommand.class})
public final class TrustCommand {}
