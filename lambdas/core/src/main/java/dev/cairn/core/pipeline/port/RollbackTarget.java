package dev.cairn.core.pipeline.port;

import java.util.Optional;

/**
 * Port: the commit a failed release of {@code service} in the final environment would roll back to
 * (the rule is the rollback package's), never {@code excludingCommit} itself. {@code promote}
 * records it as the artifact's {@code last_known_good_commit}.
 */
@FunctionalInterface
public interface RollbackTarget {
  Optional<String> find(String service, String finalEnvironment, String excludingCommit);
}
