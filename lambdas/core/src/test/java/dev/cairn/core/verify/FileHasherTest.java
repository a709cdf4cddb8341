package dev.cairn.core.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.Gate;
import dev.cairn.core.integrity.LocalDirectoryArtifactSource;
import dev.cairn.core.integrity.Sha256;
import dev.cairn.core.integrity.port.ArtifactSource;
import dev.cairn.core.integrity.port.ArtifactSource.Entry;
import dev.cairn.core.integrity.port.ArtifactSource.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hashing threads behind {@link ArtifactVerifier}: what they hash (only safe regular files),
 * what they report (a digest or the I/O error per file, progress), and that {@link
 * FileHasher#close()} stops them, so a rejection does not wait for, or read, the rest of the
 * artifact.
 */
class FileHasherTest {

  /** Long enough for any honest wait here; only reached when the code under test is broken. */
  private static final long LONG_WAIT_SECONDS = 10;

  @TempDir Path tmp;

  // ---------------------------------------------------------------- digests

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void outcomes_whenLocalDirectoryOfMixedSizes_matchesSha256OfEachFile(int threads)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("art"));
    Random random = new Random(42);
    write(dir, "empty", new byte[0]);
    write(dir, "one-byte", bytes(random, 1));
    write(dir, "exactly-one-buffer.bin", bytes(random, Sha256.BUFFER_SIZE));
    write(dir, "one-buffer-plus-one.bin", bytes(random, Sha256.BUFFER_SIZE + 1));
    write(dir, "big/three-buffers.bin", bytes(random, 3 * Sha256.BUFFER_SIZE + 17));
    for (int i = 0; i < 50; i++) {
      write(dir, "nested/d" + (i % 5) + "/e" + (i % 3) + "/f" + i + ".txt", bytes(random, i * 7));
    }
    Map<String, FileHasher.Outcome> expected = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          try (InputStream in = Files.newInputStream(p)) {
            expected.put(
                dir.relativize(p).toString().replace('\\', '/'),
                new FileHasher.Outcome(Sha256.hash(in), null));
          }
        }
      }
    }
    assertThat(expected).hasSize(55);

    try (FileHasher hasher = FileHasher.start(new LocalDirectoryArtifactSource(dir), threads)) {
      Map<String, FileHasher.Outcome> outcomes = hasher.outcomes(ProgressListener.NONE);

      assertThat(new TreeMap<>(outcomes)).isEqualTo(expected);
      assertThat(outcomes.get("empty").digest())
          .isEqualTo(new Sha256.Digest(Sha256.hex(new byte[0]), 0));
      assertThat(hasher.listing()).hasSize(55);
    }
  }

  // ---------------------------------------------------------------- what is hashed

  @Test
  void outcomes_whenUnsafePathSymlinkOrOther_hashesOnlySafeRegularFiles() throws IOException {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    contents.put("a/../b", text("escapes the root"));
    contents.put("link", text("a symlink's target"));
    contents.put("fifo", text("a named pipe"));
    contents.put("good/one.txt", text("one"));
    contents.put("two.txt", text("two, a little longer"));
    List<Entry> entries =
        List.of(
            Entry.file("a/../b", 16),
            new Entry("link", Kind.SYMLINK, -1),
            new Entry("fifo", Kind.OTHER, -1),
            Entry.file("good/one.txt", 3),
            Entry.file("two.txt", 20));
    InMemorySource source = new InMemorySource(entries, contents);

    try (FileHasher hasher = FileHasher.start(source, 2)) {
      Map<String, FileHasher.Outcome> outcomes = hasher.outcomes(ProgressListener.NONE);

      assertThat(outcomes).containsOnlyKeys("good/one.txt", "two.txt");
      assertThat(outcomes.get("good/one.txt"))
          .isEqualTo(new FileHasher.Outcome(new Sha256.Digest(Sha256.hex(text("one")), 3), null));
      assertThat(outcomes.get("two.txt").digest().hex())
          .isEqualTo(Sha256.hex(text("two, a little longer")));
      assertThat(hasher.listing()).containsExactlyElementsOf(entries);
      assertThat(source.opened).containsExactlyInAnyOrder("good/one.txt", "two.txt");
    }
  }

  @Test
  void outcomes_whenOneFileUnreadable_reportsItsErrorAndHashesTheOthers() throws IOException {
    AtomicReference<IOException> thrown = new AtomicReference<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    contents.put("a.txt", text("a"));
    contents.put("locked.txt", text("never read"));
    contents.put("c/d.txt", text("d"));
    InMemorySource source =
        new InMemorySource(
            List.of(Entry.file("a.txt", 1), Entry.file("locked.txt", 10), Entry.file("c/d.txt", 1)),
            contents) {
          @Override
          public InputStream open(String path) throws IOException {
            if (path.equals("locked.txt")) {
              IOException e = new AccessDeniedException(path);
              thrown.set(e);
              throw e;
            }
            return super.open(path);
          }
        };

    try (FileHasher hasher = FileHasher.start(source, 2)) {
      Map<String, FileHasher.Outcome> outcomes = hasher.outcomes(ProgressListener.NONE);

      assertThat(outcomes).containsOnlyKeys("a.txt", "locked.txt", "c/d.txt");
      FileHasher.Outcome locked = outcomes.get("locked.txt");
      assertThat(locked.digest()).isNull();
      assertThat(locked.error()).isInstanceOf(AccessDeniedException.class).isSameAs(thrown.get());
      assertThat(outcomes.get("a.txt").error()).isNull();
      assertThat(outcomes.get("a.txt").digest().hex()).isEqualTo(Sha256.hex(text("a")));
      assertThat(outcomes.get("c/d.txt").error()).isNull();
      assertThat(outcomes.get("c/d.txt").digest().hex()).isEqualTo(Sha256.hex(text("d")));
    }
  }

  @Test
  void listingAndOutcomes_whenListingFails_throwTheListingError() {
    IOException listError = new IOException("bucket listing failed");
    ArtifactSource source =
        new ArtifactSource() {
          @Override
          public List<Entry> list() throws IOException {
            throw listError;
          }

          @Override
          public InputStream open(String path) {
            throw new AssertionError("nothing was listed, so nothing is opened: " + path);
          }

          @Override
          public String describe() {
            return "failing listing";
          }
        };

    try (FileHasher hasher = FileHasher.start(source, 2)) { // start itself does not throw
      assertThatThrownBy(hasher::listing).isSameAs(listError);
      assertThatThrownBy(() -> hasher.outcomes(ProgressListener.NONE)).isSameAs(listError);
    }
  }

  @Test
  void start_returnsBeforeTheListingEnds_andListingWaitsForIt() throws Exception {
    write(tmp, "a.txt", text("a"));
    LocalDirectoryArtifactSource real = new LocalDirectoryArtifactSource(tmp);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<String> listedOn = new AtomicReference<>();
    ArtifactSource slow =
        new ArtifactSource() {
          @Override
          public List<Entry> list() throws IOException {
            return real.list();
          }

          @Override
          public void list(Consumer<Entry> sink) throws IOException {
            listedOn.set(Thread.currentThread().getName());
            awaitOrFail(release, "the test to release the listing");
            real.list(sink);
          }

          @Override
          public InputStream open(String path) throws IOException {
            return real.open(path);
          }

          @Override
          public String describe() {
            return real.describe();
          }
        };

    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (FileHasher hasher = FileHasher.start(slow, 2)) {
      // start returned while the listing is held: the caller's thread does not list.
      Future<List<ArtifactSource.Entry>> listing = executor.submit(hasher::listing);
      Thread.sleep(50);
      assertThat(listing.isDone()).as("listing() waits for the listing").isFalse();
      release.countDown();
      assertThat(listing.get(LONG_WAIT_SECONDS, TimeUnit.SECONDS))
          .extracting(ArtifactSource.Entry::path)
          .containsExactly("a.txt");
      assertThat(listedOn.get()).isEqualTo("cairn-list");
      assertThat(hasher.outcomes(ProgressListener.NONE).get("a.txt").digest().hex())
          .isEqualTo(Sha256.hex(text("a")));
    } finally {
      release.countDown();
      executor.shutdownNow();
    }
  }

  @Test
  void eachOutcome_handsOverEachFileWhileOthersAreStillHashing() throws Exception {
    // The verifier compares each digest as it arrives, so the comparisons overlap the hashing
    // rather than run after the last file: here the last file cannot be read until the caller has
    // been handed the other two.
    write(tmp, "a.txt", text("a"));
    write(tmp, "b.txt", text("b"));
    write(tmp, "held.txt", text("held"));
    LocalDirectoryArtifactSource real = new LocalDirectoryArtifactSource(tmp);
    CountDownLatch othersHandedOver = new CountDownLatch(2);
    ArtifactSource holding =
        new OpeningThrough(
            real,
            path -> {
              if (path.equals("held.txt")) {
                awaitOrFail(othersHandedOver, "a.txt and b.txt to be handed over");
              }
            });
    List<String> order = new CopyOnWriteArrayList<>();
    try (FileHasher hasher = FileHasher.start(holding, 2)) {
      hasher.eachOutcome(
          ProgressListener.NONE,
          (path, outcome) -> {
            assertThat(outcome.error()).isNull();
            order.add(path);
            if (!path.equals("held.txt")) {
              othersHandedOver.countDown();
            }
          });
    }
    assertThat(order).hasSize(3).endsWith("held.txt");
  }

  @Test
  void listing_whenTheListingThrowsUnchecked_rethrowsTheSameException() {
    // A source's TransientError must reach the handler as itself: the state machine retries it by
    // its class name.
    RuntimeException bug = new dev.cairn.core.pipeline.TransientError("S3 throttled the listing");
    ArtifactSource source =
        new ArtifactSource() {
          @Override
          public List<Entry> list() {
            throw bug;
          }

          @Override
          public InputStream open(String path) {
            throw new AssertionError("nothing was listed: " + path);
          }

          @Override
          public String describe() {
            return "crashing listing";
          }
        };
    try (FileHasher hasher = FileHasher.start(source, 2)) {
      assertThatThrownBy(hasher::listing).isSameAs(bug);
      assertThatThrownBy(() -> hasher.outcomes(ProgressListener.NONE)).isSameAs(bug);
    }
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void close_whenFirstFileIsBeingOpened_stopsBeforeOpeningAnotherFile() throws Exception {
    CountDownLatch firstOpened = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger opens = new AtomicInteger();
    AtomicReference<Thread> worker = new AtomicReference<>();
    List<Entry> entries = new ArrayList<>();
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      entries.add(Entry.file("f" + i, 4));
      contents.put("f" + i, text("f" + String.format("%03d", i)));
    }
    InMemorySource source =
        new InMemorySource(entries, contents) {
          @Override
          public InputStream open(String path) throws IOException {
            if (opens.incrementAndGet() == 1) {
              worker.set(Thread.currentThread());
              firstOpened.countDown();
              awaitOrFail(release, "the test to release the first open");
            }
            return super.open(path);
          }
        };

    Map<String, FileHasher.Outcome> outcomes;
    try (FileHasher hasher = FileHasher.start(source, 1)) {
      assertThat(firstOpened.await(LONG_WAIT_SECONDS, TimeUnit.SECONDS))
          .as("the hashing thread opened a file")
          .isTrue();
      hasher.close();
      release.countDown();
      worker.get().join(TimeUnit.SECONDS.toMillis(LONG_WAIT_SECONDS));
      assertThat(worker.get().isAlive()).as("the hashing thread stopped").isFalse();
      outcomes = hasher.outcomes(ProgressListener.NONE);
    } finally {
      release.countDown();
    }

    // An uncancelled thread would have gone on to open all 20 files.
    assertThat(opens.get()).isEqualTo(1);
    // The file open when it was cancelled was not read to a digest.
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.digest()).isNull());
  }

  // ---------------------------------------------------------------- progress

  @Test
  void outcomes_reportsProgressEndingAtTheTotals() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("art"));
    Random random = new Random(7);
    long total = 0;
    int[] sizes = {0, 1, 1000, Sha256.BUFFER_SIZE + 5, 2 * Sha256.BUFFER_SIZE};
    for (int i = 0; i < sizes.length; i++) {
      write(dir, "d/f" + i, bytes(random, sizes[i]));
      total += sizes[i];
    }
    List<long[]> calls = new CopyOnWriteArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void hashed(long bytesDone, long bytesTotal, int filesDone, int filesTotal) {
            calls.add(new long[] {bytesDone, bytesTotal, filesDone, filesTotal});
          }
        };

    try (FileHasher hasher = FileHasher.start(new LocalDirectoryArtifactSource(dir), 2)) {
      hasher.outcomes(listener);
    }

    assertThat(calls).isNotEmpty();
    assertThat(calls.get(calls.size() - 1))
        .containsExactly(total, total, sizes.length, sizes.length);
    for (long[] call : calls) {
      assertThat(call[0]).as("bytes done").isBetween(0L, call[1]);
      assertThat(call[2]).as("files done").isBetween(0L, call[3]);
    }
  }

  // ---------------------------------------------------------------- through the verifier

  @Test
  void verify_whenSignatureInvalid_rejectsWithoutWaitingForTheHashing() throws Exception {
    ArtifactFixture fx = ArtifactFixture.example(tmp);
    ObjectNode forged =
        ArtifactFixture.sign(fx.unsigned(), TestKeys.impostorClaiming(TestKeys.ID_A));
    LocalDirectoryArtifactSource real = new LocalDirectoryArtifactSource(fx.cdkOut);
    long files = real.list().stream().filter(e -> e.kind() == Kind.FILE).count();
    assertThat(files).as("files in the example").isGreaterThan(2);

    CountDownLatch firstOpened = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger opens = new AtomicInteger();
    Set<Thread> workers = ConcurrentHashMap.newKeySet();
    AtomicReference<Boolean> hashingStartedBeforeSignature = new AtomicReference<>();
    ArtifactSource blocking =
        new OpeningThrough(
            real,
            path -> {
              opens.incrementAndGet();
              workers.add(Thread.currentThread());
              firstOpened.countDown();
              awaitOrFail(release, "verify to return");
            }) {
          @Override
          public String describe() {
            // The verifier asks on its own thread before its first gate: hold it until a hashing
            // thread is inside open, so the signature is checked while the hashing is blocked.
            try {
              hashingStartedBeforeSignature.compareAndSet(
                  null, firstOpened.await(LONG_WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
            return super.describe();
          }
        };

    ExecutorService executor = Executors.newSingleThreadExecutor();
    VerificationReport report;
    try {
      Future<VerificationReport> verifying =
          executor.submit(() -> fx.verify(ArtifactFixture.bytes(forged), blocking));
      try {
        report = verifying.get(LONG_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("verify waited for the hashing after the signature failed", e);
      }
      assertThat(opens.get())
          .as("files opened while verify ran, every one still blocked")
          .isBetween(1, 2);
    } finally {
      release.countDown();
      executor.shutdownNow();
    }

    assertThat(hashingStartedBeforeSignature.get()).as("hashing started first").isTrue();
    ArtifactVerifierDefectTest.assertRejected(
        report, Gate.SIGNATURE, FailureCode.SIGNATURE_INVALID);
    assertThat(report.verdict()).isEqualTo(VerificationReport.Verdict.REJECTED);
    // Released, the hashing threads find the verification cancelled: none opens another file.
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(LONG_WAIT_SECONDS));
      assertThat(w.isAlive()).as("%s stopped", w.getName()).isFalse();
    }
    assertThat(opens.get())
        .as("files opened in all")
        .isLessThanOrEqualTo(2)
        .isLessThan((int) files);
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Random random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  private static void write(Path root, String relative, byte[] content) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private static void awaitOrFail(CountDownLatch latch, String what) throws IOException {
    try {
      if (!latch.await(LONG_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("timed out waiting for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for " + what);
    }
  }

  /** Lists fixed entries and serves their bytes from memory, recording every path opened. */
  private static class InMemorySource implements ArtifactSource {
    final List<Entry> entries;
    final Map<String, byte[]> contents;
    final List<String> opened = new CopyOnWriteArrayList<>();

    InMemorySource(List<Entry> entries, Map<String, byte[]> contents) {
      this.entries = List.copyOf(entries);
      this.contents = Map.copyOf(contents);
    }

    @Override
    public List<Entry> list() {
      return entries;
    }

    @Override
    public InputStream open(String path) throws IOException {
      opened.add(path);
      byte[] b = contents.get(path);
      if (b == null) {
        throw new java.nio.file.NoSuchFileException(path);
      }
      return new ByteArrayInputStream(b);
    }

    @Override
    public String describe() {
      return "memory";
    }
  }
}
