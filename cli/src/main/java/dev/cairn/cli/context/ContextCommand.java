package dev.cairn.cli.context;

import picocli.CommandLine.Command;

/**
 * {@code cairn context}: blessed CDK contexts. {@code bless} and {@code fetch} live in the
 * context-generator module ({@code dev.cairn.contextgen.cli}) and join this group once the CLI
 * depends on it.
 */
@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description =
        "Blessed CDK contexts: .cdk.context.json is generated in a secure pipeline, signed, stored"
            + " in S3, and never committed.",
    subcommands = {CheckNotCommittedCommand.class})
public final class ContextCommand {}
