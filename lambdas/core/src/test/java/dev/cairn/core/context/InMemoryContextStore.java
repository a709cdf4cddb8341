package dev.cairn.core.context;

import dev.cairn.core.context.port.BlessedContextStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned bucket in memory: every write adds a version ({@code v1}, {@code v2}, ... per key),
 * as S3 with versioning on does; {@code putNew} refuses a different body at an existing key.
 */
final class InMemoryContextStore implements BlessedContextStore {

  final Map<String, List<byte[]>> versions = new LinkedHashMap<>();

  @Override
  public String putNew(String key, byte[] body) {
    List<byte[]> existing = versions.get(key);
    if (existing != null) {
      if (Arrays.equals(existing.get(existing.size() - 1), body)) {
        return "v" + existing.size();
      }
      throw new ContextBlessException(ContextBlessException.Reason.ALREADY_BLESSED, key);
    }
    return write(key, body);
  }

  @Override
  public void put(String key, byte[] body) {
    write(key, body);
  }

  String write(String key, byte[] body) {
    List<byte[]> list = versions.computeIfAbsent(key, k -> new ArrayList<>());
    list.add(body.clone());
    return "v" + list.size();
  }

  @Override
  public Optional<byte[]> get(String key) {
    List<byte[]> list = versions.get(key);
    return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1).clone());
  }

  @Override
  public Optional<byte[]> get(String key, String versionId) {
    List<byte[]> list = versions.get(key);
    if (list == null || !versionId.matches("v[1-9][0-9]*")) {
      return Optional.empty();
    }
    int i = Integer.parseInt(versionId.substring(1)) - 1;
    return i < list.size() ? Optional.of(list.get(i).clone()) : Optional.empty();
  }
}
