package dev.cairn.cli.override;

import picocli.CommandLine.Command;

/** {@code cairn override}. */
@Command(
    name = "override",
    mixinStandardHelpOptions = true,
    description = {
      "Create and submit signed operator overrides.",
      "Create a signed request with an operator key, then submit it to the override Lambda",
      "(docs/runbooks/override.md, docs/runbooks/break-glass.md)."
    },
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {OverrideCreateCommand.class, OverrideSubmitCommand.class})
public final class OverrideCommand {}
