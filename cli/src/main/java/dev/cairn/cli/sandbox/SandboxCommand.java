package dev.cairn.cli.sandbox;

import picocli.CommandLine.Command;

/** {@code cairn sandbox}: the local stand-ins for the AWS services Cairn uses. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = "Run Cairn's AWS dependencies locally (DynamoDB Local and S3Proxy, in-process).",
    subcommands = {SandboxUpCommand.class, SandboxRunCommand.class})
public final class SandboxCommand {}
