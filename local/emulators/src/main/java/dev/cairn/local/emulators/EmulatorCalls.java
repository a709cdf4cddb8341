package dev.cairn.local.emulators;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;

/**
 * The request log and API-level failure injection shared by the {@code *Emulator} clients.
 *
 * <p>Every call is recorded <em>before</em> it is validated, so a test can assert the exact request
 * even when the emulator rejects it (as Powertools' {@code DynamoDBPersistenceStoreTest} asserts
 * the request a persistence store sends). Thread-safe.
 */
public final class EmulatorCalls {

  private final List<SdkRequest> requests = new ArrayList<>();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final Map<String, Deque<Supplier<? extends RuntimeException>>> failures = new HashMap<>();

  /**
   * Records {@code request} under {@code operation} (the API name, e.g. {@code CreateChangeSet}),
   * then throws the next injected failure for that operation, if any.
   */
  public synchronized void record(String operation, SdkRequest request) {
    requests.add(request);
    counts.merge(operation, 1, Integer::sum);
    Deque<Supplier<? extends RuntimeException>> queue = failures.get(operation);
    if (queue != null && !queue.isEmpty()) {
      throw queue.poll().get();
    }
  }

  /**
   * The next {@code times} calls of {@code operation} throw {@code failure} (after being recorded);
   * later calls behave normally ("fail N times, then succeed").
   */
  public synchronized void failNext(
      String operation, int times, Supplier<? extends RuntimeException> failure) {
    Deque<Supplier<? extends RuntimeException>> queue =
        failures.computeIfAbsent(operation, k -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(failure);
    }
  }

  /** Every request received, in order. */
  public synchronized List<SdkRequest> requests() {
    return List.copyOf(requests);
  }

  /** The requests of one type, in order. */
  public synchronized <T extends SdkRequest> List<T> requests(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SdkRequest r : requests) {
      if (type.isInstance(r)) {
        out.add(type.cast(r));
      }
    }
    return List.copyOf(out);
  }

  /** {@code {Operation: count}}, sorted by operation name. */
  public synchronized Map<String, Integer> callCounts() {
    return new TreeMap<>(counts);
  }
}
