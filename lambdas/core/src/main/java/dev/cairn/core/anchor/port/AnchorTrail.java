package dev.cairn.core.anchor.port;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Port: the anchor as a CloudTrail Lake custom event ({@code PutAuditEvents}), when configured. */
@FunctionalInterface
public interface AnchorTrail {
  void record(ObjectNode anchor);

  /** No channel configured. */
  AnchorTrail NONE = anchor -> {};
}
