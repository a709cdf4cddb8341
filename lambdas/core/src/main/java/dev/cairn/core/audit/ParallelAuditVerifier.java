package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@link AuditChainVerifier} over the lines of an audit export, with the hashing spread over
 * threads: lines are read in batches, each batch's entries are scanned and hashed in parallel
 * ({@link AuditLineScanner}; Jackson for the lines it does not cover), then checked one by one in
 * order by {@link AuditChainVerifier.Chain}. The verdict, the first bad sequence number and the
 * detail are those of {@link AuditChainVerifier#verify(Iterator)} over the same lines parsed one by
 * one; memory holds one batch, whatever the length of the file.
 */
public final class ParallelAuditVerifier {

  /** Lines per batch: enough to keep every thread busy, small enough to bound memory. */
  static final int BATCH = 4096;

  private ParallelAuditVerifier() {}

  /**
   * Verifies {@code lines} (blank lines already skipped, ends of line removed) with {@code threads}
   * threads. {@code observe} sees each entry as the check reaches it, the failing one included. An
   * exception from {@code lines} is rethrown where the one-by-one verifier would have met it: when
   * it asks for the entry after the last one checked.
   */
  public static AuditVerification verify(
      Iterator<byte[]> lines, int threads, Consumer<EntryFacts> observe) {
    return verify(lines, threads, observe, BATCH);
  }

  /** As {@link #verify(Iterator, int, Consumer)} with {@code batchSize} lines per batch. */
  static AuditVerification verify(
      Iterator<byte[]> lines, int threads, Consumer<EntryFacts> observe, int batchSize) {
    AuditChainVerifier.Chain chain = new AuditChainVerifier.Chain();
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemon()) : null;
    try {
      Batch batch = Batch.read(lines, null, batchSize);
      Hashing hashing = Hashing.start(batch, threads, pool);
      while (true) {
        // The next batch is read while this one is hashed.
        Batch next = batch.more() ? Batch.read(lines, batch.last(), batchSize) : null;
        EntryFacts[] facts = hashing.facts();
        for (int i = 0; i < batch.checkable(); i++) {
          observe.accept(facts[i]);
          AuditVerification broken = chain.next(facts[i]);
          if (broken != null) {
            return broken;
          }
        }
        if (batch.failure() != null) {
          throw batch.failure();
        }
        if (next == null) {
          return chain.verdict();
        }
        batch = next;
        hashing = Hashing.start(batch, threads, pool);
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Lines read in order, up to {@code size + 1}, and how reading ended. The one-by-one verifier
   * reads line n + 1 before it checks entry n, so the last line read is checked only with the next
   * batch (it starts the next one), and never when reading failed after it.
   */
  private record Batch(List<byte[]> lines, RuntimeException failure, boolean more) {

    static Batch read(Iterator<byte[]> source, byte[] carried, int size) {
      List<byte[]> lines = new ArrayList<>(size + 1);
      if (carried != null) {
        lines.add(carried);
      }
      RuntimeException failure = null;
      try {
        while (lines.size() <= size && source.hasNext()) {
          lines.add(source.next());
        }
      } catch (RuntimeException e) {
        failure = e;
      }
      return new Batch(lines, failure, failure == null && lines.size() > size);
    }

    int checkable() {
      return more || failure != null ? Math.max(0, lines.size() - 1) : lines.size();
    }

    byte[] last() {
      return lines.get(lines.size() - 1);
    }
  }

  /** A batch's facts being computed: on the pool's threads, or here when there is no pool. */
  private record Hashing(EntryFacts[] result, List<Future<?>> parts) {

    static Hashing start(Batch batch, int threads, ExecutorService pool) {
      int count = batch.checkable();
      EntryFacts[] facts = new EntryFacts[count];
      List<Future<?>> parts = new ArrayList<>(threads);
      if (pool == null || count < threads * 2) {
        compute(batch.lines(), facts, 0, count);
        return new Hashing(facts, parts);
      }
      int slice = (count + threads - 1) / threads;
      for (int from = 0; from < count; from += slice) {
        int f = from;
        int to = Math.min(count, from + slice);
        parts.add(pool.submit(() -> compute(batch.lines(), facts, f, to)));
      }
      return new Hashing(facts, parts);
    }

    EntryFacts[] facts() {
      for (Future<?> p : parts) {
        try {
          p.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException(e.getCause());
        }
      }
      return result;
    }
  }

  private static final ThreadLocal<AuditLineScanner> SCANNER =
      ThreadLocal.withInitial(AuditLineScanner::new);

  private static void compute(List<byte[]> batch, EntryFacts[] facts, int from, int to) {
    AuditLineScanner scanner = SCANNER.get();
    for (int i = from; i < to; i++) {
      byte[] line = batch.get(i);
      EntryFacts f = scanner.scan(line);
      facts[i] = f != null ? f : parsed(line);
    }
  }

  /** The reference path: the line as a tree, hashed here (in parallel) when it can be. */
  private static EntryFacts parsed(byte[] line) {
    JsonNode node;
    try {
      node = Json.parse(new String(line, StandardCharsets.UTF_8));
    } catch (IOException e) {
      ObjectNode bad = Json.object();
      bad.put("unparseable_line", "invalid JSON");
      node = bad;
    }
    EntryFacts facts = EntryFacts.of(node);
    if (facts.shaped()) {
      try {
        facts.contentHash();
      } catch (RuntimeException e) {
        // Left for the check to meet at the same step as the one-by-one verifier would.
      }
    }
    return facts;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "audit-verify");
      t.setDaemon(true);
      return t;
    };
  }
}
