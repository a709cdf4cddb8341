package dev.cairn.cli.context;

import picocli.CommandLine.Command;

/**
 * {@code cairn context}: blessed CDK contexts. {@code bless} runs in the secure context pipeline
 * (role {@code cdk-context-generator}); {@code fetch} and {@code check-not-committed} run in CI.
 */
@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description =
        "Blessed CDK contexts: .cdk.context.json is generated in a secure pipeline, signed, stored"
            + " in S3, and never committed.",
    subcommands = {
      ContextBlessCommand.class,
      ContextFetchCommand.class,
      CheckNotCommittedCommand.class
    })
public final class ContextCommand {}
