import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The floor under {@code cairn audit verify --file}: how fast a fresh JVM can read an export and
 * SHA-256 every byte of it (the JDK's "SHA-256", the SHA-NI intrinsic once C2 has compiled the
 * loop), with nothing else: no lines, no JSON, no canonical form, no chain, no CLI. The same read
 * path as the verifier (a FileChannel into 1 MiB heap buffers), the file split in equal parts,
 * one per thread. {@code read} only reads.
 *
 * <p>{@code java -XX:+UseSerialGC bench/ledger/AuditFloor.java FILE [threads] [hash|read]}, timed
 * whole by the caller (JVM start included). No dependencies: run it as a single source file.
 */
public final class AuditFloor {

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    boolean hash = args.length < 3 || args[2].equals("hash");
    long[] buffers = new long[threads];
    List<Thread> workers = new ArrayList<>();
    try (FileChannel in = FileChannel.open(file)) {
      long size = in.size();
      for (int t = 0; t < threads; t++) {
        long from = size * t / threads;
        long to = size * (t + 1) / threads;
        int id = t;
        Thread w = new Thread(() -> buffers[id] = work(in, from, to, hash));
        workers.add(w);
        w.start();
      }
      for (Thread w : workers) {
        w.join();
      }
    }
    long total = 0;
    for (long b : buffers) {
      total += b;
    }
    System.out.printf(
        "floor (%s, %d threads): %,d reads of 1 MiB from %s%n",
        hash ? "read + SHA-256" : "read", threads, total, file);
  }

  /** Reads bytes [from, to) in 1 MiB reads, hashing every byte when {@code hash}; 1 MiB buffers. */
  private static long work(FileChannel in, long from, long to, boolean hash) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      long pos = from;
      long buffers = 0;
      while (pos < to) {
        int n = in.read(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, to - pos)), pos);
        if (n <= 0) {
          break;
        }
        if (hash) {
          md.update(buf, 0, n);
        }
        pos += n;
        buffers++;
      }
      md.digest();
      return buffers;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
