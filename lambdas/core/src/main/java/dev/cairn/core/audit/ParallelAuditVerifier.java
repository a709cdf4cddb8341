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
      List<byte[]> batch = new ArrayList<>(batchSize + 1);
      RuntimeException readFailure = null;
      boolean more = true;
      while (more) {
        try {
          while (batch.size() <= batchSize && lines.hasNext()) {
            batch.add(lines.next());
          }
        } catch (RuntimeException e) {
          readFailure = e;
        }
        more = readFailure == null && batch.size() > batchSize;
        // The one-by-one verifier reads line n + 1 before it checks entry n: the last line read is
        // checked with the next batch, or, when reading failed, never.
        int checkable = more || readFailure != null ? Math.max(0, batch.size() - 1) : batch.size();
        EntryFacts[] facts = facts(batch, checkable, threads, pool);
        for (int i = 0; i < checkable; i++) {
          observe.accept(facts[i]);
          AuditVerification broken = chain.next(facts[i]);
          if (broken != null) {
            return broken;
          }
        }
        if (readFailure != null) {
          throw readFailure;
        }
        byte[] carried = more ? batch.get(batch.size() - 1) : null;
        batch.clear();
        if (carried != null) {
          batch.add(carried);
        }
      }
      return chain.verdict();
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static EntryFacts[] facts(
      List<byte[]> batch, int count, int threads, ExecutorService pool) {
    EntryFacts[] facts = new EntryFacts[count];
    if (pool == null || count < threads * 2) {
      compute(batch, facts, 0, count);
      return facts;
    }
    List<Future<?>> parts = new ArrayList<>(threads);
    int slice = (count + threads - 1) / threads;
    for (int from = 0; from < count; from += slice) {
      int f = from;
      int to = Math.min(count, from + slice);
      parts.add(pool.submit(() -> compute(batch, facts, f, to)));
    }
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
    return facts;
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
