package dev.cairn.core.anchor.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Port: the {@code audit-anchor-publish} SNS topic (external e-mail subscribers). */
@FunctionalInterface
public interface AnchorPublisher {
  void publish(ObjectNode message);
}
