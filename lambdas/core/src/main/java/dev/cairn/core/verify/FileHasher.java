package dev.cairn.core.verify;

import dev.cairn.core.integrity.ArtifactSource;
import dev.cairn.core.integrity.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hashes many files in parallel with bounded memory: each of {@code threads} workers owns one
 * {@link Sha256#BUFFER_SIZE} buffer, whatever the artifact's size. Larger files are started first
 * so the workers finish together.
 */
final class FileHasher {

  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  private FileHasher() {}

  /** Result per file: a digest, or the I/O error that stopped it. */
  record Outcome(Sha256.Digest digest, IOException error) {}

  static Map<String, Outcome> hashAll(
      ArtifactSource source,
      List<ArtifactSource.Entry> files,
      int threads,
      ProgressListener progress) {
    List<ArtifactSource.Entry> ordered = new ArrayList<>(files);
    ordered.sort((a, b) -> Long.compare(b.size(), a.size()));
    long totalBytes = ordered.stream().mapToLong(e -> Math.max(0, e.size())).sum();
    Map<String, Outcome> results = new ConcurrentHashMap<>();
    AtomicLong bytesDone = new AtomicLong();
    AtomicInteger filesDone = new AtomicInteger();
    AtomicLong lastReport = new AtomicLong(System.nanoTime());
    Runnable report =
        () -> {
          long now = System.nanoTime();
          long last = lastReport.get();
          if (now - last >= PROGRESS_EVERY_NANOS && lastReport.compareAndSet(last, now)) {
            progress.hashed(bytesDone.get(), totalBytes, filesDone.get(), ordered.size());
          }
        };
    if (threads == 1 || ordered.size() < 2) {
      byte[] buffer = new byte[Sha256.BUFFER_SIZE];
      for (ArtifactSource.Entry e : ordered) {
        results.put(e.path(), hashOne(source, e, buffer, bytesDone));
        filesDone.incrementAndGet();
        report.run();
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
      ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[Sha256.BUFFER_SIZE]);
      try {
        List<Future<?>> futures = new ArrayList<>(ordered.size());
        for (ArtifactSource.Entry e : ordered) {
          futures.add(
              pool.submit(
                  () -> {
                    results.put(e.path(), hashOne(source, e, buffers.get(), bytesDone));
                    filesDone.incrementAndGet();
                    report.run();
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while hashing", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("hashing failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    progress.hashed(bytesDone.get(), totalBytes, filesDone.get(), ordered.size());
    return results;
  }

  private static Outcome hashOne(
      ArtifactSource source, ArtifactSource.Entry entry, byte[] buffer, AtomicLong bytesDone) {
    try (InputStream in = source.open(entry.path())) {
      Sha256.Digest d = Sha256.hash(in, buffer);
      bytesDone.addAndGet(d.size());
      return new Outcome(d, null);
    } catch (IOException e) {
      return new Outcome(null, e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "cairn-hash-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
