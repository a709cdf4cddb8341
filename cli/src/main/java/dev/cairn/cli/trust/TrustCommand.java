package dev.cairn.cli.trust;

import picocli.CommandLine.Command;

/** {@code cairn trust}: trust policies. */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description =
        "Write trust policies: who may sign, which CDK CLI versions and refs are allowed.",
    subcommands = {TrustInitCommand.class})
public final class TrustCommand {}
