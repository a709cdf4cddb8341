package dev.cairn.cli.context;

import picocli.CommandLine.Command;

/**
 * {@code cairn context}: blessed CDK contexts. {@code bless} runs in the secure context pipeline
 * (role {@code cdk-context-generator}), as does {@code revoke}; {@code fetch} and {@code
 * check-not-committed} run in CI.
 */
@Command(
    name = "context",
    mixinStandardHelpOptions = true,
    description = {
      "Bless, fetch and guard CDK contexts (.cdk.context.json).",
      "A context is generated in a secure pipeline, signed, stored in S3, and never committed."
    },
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one"
    },
    subcommands = {
      ContextBlessCommand.class,
      ContextFetchCommand.class,
      ContextRevokeCommand.class,
      CheckNotCommittedCommand.class
    })
public final class ContextCommand {}
