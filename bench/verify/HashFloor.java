import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under {@code cairn manifest verify}: how fast this JVM can list a directory and SHA-256
 * every file in it, with nothing else (no manifest, no signature, no gates, no CLI). The same read
 * path as the verifier (a FileChannel read into a 256 KiB array, the whole read handed to JDK
 * "SHA-256").
 *
 * <p>{@code java -XX:+UseSerialGC bench/verify/HashFloor.java DIR [threads] [rounds]} prints one
 * line per round; round 1 is a fresh JVM's (interpreter and JIT warm-up included), later rounds
 * are steady state. No dependencies: run it as a single source file.
 */
public final class HashFloor {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    for (int r = 1; r <= rounds; r++) {
      long t0 = System.nanoTime();
      List<Path> files = new ArrayList<>();
      try (var walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
      long listed = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      AtomicLong bytes = new AtomicLong();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w = new Thread(() -> hash(files, next, bytes));
        workers.add(w);
        w.start();
      }
      for (Thread w : workers) {
        w.join();
      }
      long done = System.nanoTime();
      System.out.printf(
          "round %d, %d thread(s): list %d ms, hash %d ms, total %d ms, %d files, %d bytes%n",
          r,
          threads,
          (listed - t0) / 1_000_000,
          (done - listed) / 1_000_000,
          (done - t0) / 1_000_000,
          files.size(),
          bytes.get());
    }
  }

  private static void hash(List<Path> files, AtomicInteger next, AtomicLong bytes) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.wrap(new byte[256 * 1024]);
      for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
        try (FileChannel ch = FileChannel.open(files.get(i))) {
          while (true) {
            buffer.clear();
            int n = ch.read(buffer);
            if (n < 0) {
              break;
            }
            md.update(buffer.array(), 0, n);
            bytes.addAndGet(n);
          }
        }
        md.digest();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
