package dev.cairn.core.override;

import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.override.port.BreakGlassStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The break-glass store's contract in memory (the DynamoDB adapter's test pins the same). */
final class MemoryBreakGlassStore implements BreakGlassStore {

  final Map<ArtifactKey, StoredBreakGlass> items = new HashMap<>();

  @Override
  public void store(StoredBreakGlass request) {
    items.put(request.key(), request);
  }

  @Override
  public Optional<StoredBreakGlass> find(ArtifactKey key) {
    return Optional.ofNullable(items.get(key));
  }

  @Override
  public boolean consume(ArtifactKey key, String nonce, String executionId, Instant at) {
    StoredBreakGlass s = items.get(key);
    if (s == null
        || !s.nonce().equals(nonce)
        || s.consumedBy() != null && !s.consumedBy().equals(executionId)) {
      return false;
    }
    items.put(
        key, new StoredBreakGlass(key, s.document(), s.nonce(), s.executionName(), executionId));
    return true;
  }
}
