package dev.cairn.core.pipeline;

import java.io.IOException;
import java.util.Optional;

/**
 * Port: the blessed {@code .cdk.context.json} of an environment (spec "Hardened CDK Context
 * Handling"): {@code s3://cdk-contexts/{env}/latest.context.sha256} names the current blessed hash.
 */
public interface BlessedContexts {

  /** The SHA-256 of the environment's latest blessed context, or empty when none is blessed. */
  Optional<String> latestHash(String environment) throws IOException;
}
