package dev.cairn.cli.audit;

import picocli.CommandLine.Command;

/** {@code cairn audit}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Export and verify the hash-chained audit log (docs/audit-chain.md).",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {AuditExportCommand.class, AuditVerifyCommand.class})
public final class AuditCommand {}
