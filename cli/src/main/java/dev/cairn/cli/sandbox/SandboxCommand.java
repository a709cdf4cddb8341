package dev.cairn.cli.sandbox;

import picocli.CommandLine.Command;

/** {@code cairn sandbox}: the local stand-ins for the AWS services Cairn uses. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Run Cairn locally: the whole pipeline per scenario, or its AWS dependencies.",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {SandboxUpCommand.class, SandboxRunCommand.class})
public final class SandboxCommand {}
