package dev.cairn.cli.override;

import picocli.CommandLine.Command;

/** {@code cairn override}. */
@Command(
    name = "override",
    mixinStandardHelpOptions = true,
    description = {
      "Signed operator overrides (docs/runbooks/override.md, docs/runbooks/break-glass.md):",
      "create a signed request with an operator key, then submit it to the override Lambda."
    },
    subcommands = {OverrideCreateCommand.class, OverrideSubmitCommand.class})
public final class OverrideCommand {}
