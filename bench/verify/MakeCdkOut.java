import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes a synthetic cdk.out of exactly {@code totalBytes} in {@code files} files, deterministic
 * (seeded) pseudo-random content, with a realistic size spread: 90% small files (templates,
 * metadata, handler sources: 200 B to 64 KiB, log-uniform), 9.7% medium (64 KiB to 2 MiB) and 0.3%
 * large bundles that take the rest (zip/docker assets, tens of MiB).
 *
 * <p>Usage: {@code java MakeCdkOut.java DIR [FILES] [TOTAL_BYTES]} (defaults 10000, 1 GiB).
 */
public final class MakeCdkOut {
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    long total = args.length > 2 ? Long.parseLong(args[2]) : 1L << 30;
    SplittableRandom rnd = new SplittableRandom(20260201L);
    long[] sizes = new long[files];
    int large = Math.max(1, files * 3 / 1000);
    int medium = files * 97 / 1000;
    long used = 0;
    for (int i = large; i < files; i++) {
      boolean isMedium = i < large + medium;
      double lo = Math.log(isMedium ? 64 * 1024 : 200);
      double hi = Math.log(isMedium ? 2 * 1024 * 1024 : 64 * 1024);
      sizes[i] = (long) Math.exp(lo + rnd.nextDouble() * (hi - lo));
      used += sizes[i];
    }
    long rest = total - used;
    if (rest < large) {
      throw new IllegalStateException("total too small for the spread");
    }
    double[] w = new double[large];
    double sum = 0;
    for (int i = 0; i < large; i++) {
      w[i] = 0.5 + rnd.nextDouble();
      sum += w[i];
    }
    long assigned = 0;
    for (int i = 0; i < large; i++) {
      sizes[i] = i == large - 1 ? rest - assigned : (long) (rest * w[i] / sum);
      assigned += sizes[i];
    }
    Files.createDirectories(dir);
    byte[] buf = new byte[1 << 20];
    for (int i = 0; i < files; i++) {
      String name;
      if (i < large) {
        name = String.format("asset.%064x/bundle.zip", (long) i * 7919 + 1);
      } else if (i < large + medium) {
        name = String.format("asset.%064x/lib/chunk-%05d.js", (long) (i % 40) * 104729 + 3, i);
      } else if (i % 10 == 0) {
        name = String.format("Stack%05d.template.json", i);
      } else {
        name = String.format("asset.%064x/src/f%05d.js", (long) (i % 200) * 15485863 + 5, i);
      }
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      try (OutputStream out = Files.newOutputStream(p)) {
        long left = sizes[i];
        while (left > 0) {
          int n = (int) Math.min(buf.length, left);
          fill(rnd, buf, n);
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
    long check = Arrays.stream(sizes).sum();
    System.out.printf("wrote %d files, %d bytes (largest %d) under %s%n", files, check,
        Arrays.stream(sizes).max().orElse(0), dir);
  }

  private static void fill(SplittableRandom rnd, byte[] b, int n) {
    for (int i = 0; i < n; i += 8) {
      long v = rnd.nextLong();
      for (int k = 0; k < 8 && i + k < n; k++) {
        b[i + k] = (byte) (v >>> (k * 8));
      }
    }
  }
}
