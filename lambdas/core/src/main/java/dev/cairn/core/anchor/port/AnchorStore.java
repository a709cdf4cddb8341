package dev.cairn.core.anchor.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Port: the write-once anchor objects ({@code audit-log-anchors/<chain>/<sequence>.json}). */
public interface AnchorStore {

  /** The anchor with the highest sequence number of {@code chainId}, if any. */
  Optional<ObjectNode> latest(String chainId);

  /** Every anchor of {@code chainId}, ascending by sequence. */
  List<ObjectNode> all(String chainId);

  /** Writes {@code anchor} at {@code key} only if nothing is there; false when something is. */
  boolean putIfAbsent(String key, ObjectNode anchor);

  /** The anchor at {@code key}, if any. */
  Optional<ObjectNode> get(String key);
}
