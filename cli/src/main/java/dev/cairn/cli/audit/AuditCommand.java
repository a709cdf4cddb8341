package dev.cairn.cli.audit;

import picocli.CommandLine.Command;

/** {@code cairn audit}. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Export and verify the hash-chained audit log (docs/audit-chain.md).",
    subcommands = {AuditExportCommand.class, AuditVerifyCommand.class})
public final class AuditCommand {}
