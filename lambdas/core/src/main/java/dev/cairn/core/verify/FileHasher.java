package dev.cairn.core.verify;

import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.ArtifactPath;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Lists an artifact and hashes its files while the verifier reads the manifest, so the hashing
 * overlaps the structure, signature and provenance gates instead of following them.
 *
 * <p>{@link #start} lists the source on a thread of its own and hands each regular file with a safe
 * path ({@link ArtifactPath}) to {@code threads} hashing threads as it is found; they take the
 * largest file waiting, so once the listing is done the largest files go first and the threads
 * finish together. The caller goes on at once: in a fresh JVM the listing of 10,000 files is a
 * tenth of a second that the manifest's parsing and signature check need not wait for. Nothing here
 * trusts the manifest: the verifier compares these digests with it only at {@link
 * Gate#FILE_INTEGRITY}, after the signature has been checked. When an earlier gate fails, {@link
 * #close()} stops the threads at their next buffer, so a rejected artifact is not read to its end.
 *
 * <p>Memory is bounded whatever the artifact's size: one {@link Sha256#BUFFER_SIZE} array per
 * hashing thread (and the JDK's one temporary direct buffer of that size per thread behind a
 * channel read). A read fills as much of the array as the file gives and the digest takes it in one
 * call, so the JDK's native copy and the SHA-256 intrinsic do the work per buffer. The alternative,
 * a direct buffer handed to the digest, goes through the digest's 4 KiB heap array in a Java loop,
 * which costs a fresh JVM C2 compilations before it is fast (bench/README.md, "The CI-side verify,
 * cold").
 */
final class FileHasher implements AutoCloseable {

  private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long POLL_MILLIS = 5;

  /** Result per file: a digest, or the I/O error that stopped it. */
  record Outcome(Sha256.Digest digest, IOException error) {}

  private final ArtifactSource source;
  private final PriorityBlockingQueue<ArtifactSource.Entry> queue =
      new PriorityBlockingQueue<>(
          1024, Comparator.comparingLong(ArtifactSource.Entry::size).reversed());
  private final CountDownLatch finished;
  private final CountDownLatch listingDone = new CountDownLatch(1);

  /** Each file's outcome as it is hashed, until the caller takes it ({@link #eachOutcome}). */
  private final Queue<Map.Entry<String, Outcome>> completed = new ConcurrentLinkedQueue<>();

  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final List<ArtifactSource.Entry> entries = new ArrayList<>();
  private volatile boolean listed;
  private volatile boolean cancelled;
  private volatile Throwable crash;
  private volatile Throwable listCrash;
  private IOException listError;
  private long totalBytes;
  private int totalFiles;

  private FileHasher(ArtifactSource source, int threads) {
    this.source = source;
    this.finished = new CountDownLatch(threads);
  }

  /**
   * Starts {@code threads} hashing threads and a thread that lists {@code source}, feeding them as
   * it goes, and returns. A listing error is kept for {@link #listing()}.
   */
  static FileHasher start(ArtifactSource source, int threads) {
    FileHasher h = new FileHasher(source, threads);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(h::work, "cairn-hash-" + (i + 1));
      t.setDaemon(true);
      t.start();
    }
    Thread lister = new Thread(h::list, "cairn-list");
    lister.setDaemon(true);
    lister.start();
    return h;
  }

  /**
   * The source's entries, as the source listed them, once the listing is done.
   *
   * @throws IOException when the artifact could not be listed
   */
  List<ArtifactSource.Entry> listing() throws IOException {
    try {
      listingDone.await();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while listing");
    }
    if (listError != null) {
      throw listError;
    }
    // Rethrown as it was thrown on the listing thread: its type is what the caller acts on (a
    // source's TransientError is retried by the state machine, by that name).
    if (listCrash instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (listCrash instanceof Error error) {
      throw error;
    }
    return entries;
  }

  /**
   * Waits for every file to be hashed, reporting progress from the calling thread, and returns the
   * outcome per path of every regular file with a safe path.
   */
  Map<String, Outcome> outcomes(ProgressListener progress) throws IOException {
    Map<String, Outcome> out = new HashMap<>();
    eachOutcome(progress, out::put);
    return out;
  }

  /**
   * Hands {@code each} the outcome of every regular file with a safe path, on the calling thread,
   * as the files are hashed (a batch every {@value #POLL_MILLIS} ms), and returns once the last is
   * handed over. What the caller does per file then overlaps the hashing, rather than following the
   * last file on one core. Progress is reported between batches.
   */
  void eachOutcome(ProgressListener progress, BiConsumer<String, Outcome> each) throws IOException {
    listing();
    long lastReport = System.nanoTime();
    try {
      boolean done;
      do {
        // Every outcome is queued before its thread counts down: once all have, the queue is whole.
        done = finished.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
        for (Map.Entry<String, Outcome> r; (r = completed.poll()) != null; ) {
          each.accept(r.getKey(), r.getValue());
        }
        if (!done && System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
          progress.hashed(bytesDone.get(), totalBytes, filesDone.get(), totalFiles);
          lastReport = System.nanoTime();
        }
      } while (!done);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while hashing");
    }
    if (crash != null) {
      throw new IllegalStateException("hashing failed: " + crash, crash);
    }
    progress.hashed(bytesDone.get(), totalBytes, filesDone.get(), totalFiles);
  }

  /** Stops the hashing threads at their next buffer; safe to call more than once. */
  @Override
  public void close() {
    cancelled = true;
  }

  private void list() {
    try {
      source.list(
          e -> {
            if (cancelled) {
              throw new CancellationException("the verification ended before the listing");
            }
            entries.add(e);
            if (e.kind() == ArtifactSource.Kind.FILE
                && ArtifactPath.violation(e.path()).isEmpty()) {
              totalBytes += Math.max(0, e.size());
              totalFiles++;
              queue.add(e);
            }
          });
    } catch (IOException e) {
      listError = e;
      cancelled = true;
    } catch (CancellationException e) {
      // close() was called: nobody waits for this listing.
    } catch (RuntimeException | Error e) {
      listCrash = e;
      cancelled = true;
    } finally {
      listed = true;
      listingDone.countDown();
    }
  }

  private void work() {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(new byte[Sha256.BUFFER_SIZE]);
      MessageDigest md = Sha256.newDigest();
      while (!cancelled) {
        boolean done = listed; // read before the poll: every entry was queued before `listed`
        ArtifactSource.Entry e = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (e == null) {
          if (done) {
            return;
          }
          continue;
        }
        completed.add(Map.entry(e.path(), hashOne(e, buffer, md)));
        filesDone.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      crash = e;
      cancelled = true;
    } finally {
      finished.countDown();
    }
  }

  private Outcome hashOne(ArtifactSource.Entry entry, ByteBuffer buffer, MessageDigest md) {
    md.reset();
    long size = 0;
    try (ReadableByteChannel in = source.openChannel(entry.path())) {
      while (!cancelled) {
        buffer.clear();
        int n = in.read(buffer);
        if (n < 0) {
          return new Outcome(new Sha256.Digest(Sha256.toHex(md.digest()), size), null);
        }
        md.update(buffer.array(), 0, n);
        size += n;
        bytesDone.addAndGet(n);
      }
      return new Outcome(null, new IOException("hashing was cancelled"));
    } catch (IOException e) {
      return new Outcome(null, e);
    }
  }
}
