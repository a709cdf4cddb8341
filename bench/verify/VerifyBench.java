import dev.cairn.cli.CairnCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Steady-state verify throughput: {@code cairn manifest verify} run in one JVM, as the
 * manifest-verifier Lambda runs it in a warm container, against {@code openssl dgst -sha256} on the
 * same files. Each round runs openssl, then the verify with 1 thread, then with 2, so load on the
 * machine falls on all three alike; the first {@code warmup} rounds are not counted (JMH's warm-up
 * iterations, without JMH). Every verify must be accepted, or the bench fails.
 *
 * <p>Usage (bench/verify/run.sh compiles and runs it): {@code java -cp cairn.jar:classes VerifyBench
 * WORKDIR [rounds] [warmup]}. WORKDIR holds cdk.out, artifact-manifest.json and trust-policy.json.
 */
public final class VerifyBench {

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path cdkOut = work.resolve("cdk.out");
    long bytes;
    try (var files = Files.walk(cdkOut)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(VerifyBench::size).sum();
    }
    List<Long> openssl = new ArrayList<>();
    List<Long> one = new ArrayList<>();
    List<Long> two = new ArrayList<>();
    for (int r = 0; r < warmup + rounds; r++) {
      long o = openssl(cdkOut);
      long t1 = verify(work, 1);
      long t2 = verify(work, 2);
      String phase = r < warmup ? "warm-up" : "round  ";
      System.out.printf(
          "%s %d: openssl %4d ms   verify --threads 1 %4d ms   --threads 2 %4d ms%n",
          phase, r + 1, o, t1, t2);
      if (r >= warmup) {
        openssl.add(o);
        one.add(t1);
        two.add(t2);
      }
    }
    long o = median(openssl);
    long v1 = median(one);
    long v2 = median(two);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "steady state, %d rounds after %d warm-up (median), %.0f MiB:%n",
        rounds,
        warmup,
        bytes / 1048576.0);
    System.out.printf(
        "%-36s %7s %7s %6s   %s%n", "", "wall ms", "MiB/s", "ratio", "target");
    row("openssl dgst -sha256", o, bytes, o, "");
    row("cairn manifest verify --threads 1", v1, bytes, o, target(v1, o, 1.10));
    row("cairn manifest verify --threads 2", v2, bytes, o, target(v2, o, 0.60));
    long hwm = peakRssKib();
    System.out.printf(
        "peak RSS of this JVM (VmHWM, every run above): %d MiB   (target <= 256 MB: %s)%n",
        hwm / 1024, hwm * 1024 <= 256_000_000L ? "met" : "MISSED");
  }

  private static long verify(Path work, int threads) {
    StringWriter out = new StringWriter();
    CommandLine cl = CairnCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    long t0 = System.nanoTime();
    int exit =
        cl.execute(
            "manifest",
            "verify",
            "--cdk-out",
            work.resolve("cdk.out").toString(),
            "--manifest",
            work.resolve("artifact-manifest.json").toString(),
            "--trust-policy",
            work.resolve("trust-policy.json").toString(),
            "--threads",
            Integer.toString(threads),
            "--format",
            "json");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (exit != 0 || !out.toString().contains("\"verdict\" : \"accepted\"")) {
      throw new IllegalStateException("verify did not accept (exit " + exit + "):\n" + out);
    }
    return ms;
  }

  private static long openssl(Path cdkOut) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "sh", "-c", "find . -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null")
            .directory(cdkOut.toFile())
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("openssl dgst failed");
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void row(String name, long ms, long bytes, long openssl, String target) {
    System.out.printf(
        Locale.ROOT,
        "%-36s %7d %7.0f %5.2fx   %s%n",
        name,
        ms,
        bytes / 1048576.0 / (ms / 1000.0),
        (double) ms / openssl,
        target);
  }

  private static String target(long ms, long openssl, double max) {
    return String.format(
        Locale.ROOT, "<= %.2fx: %s", max, ms <= max * openssl ? "met" : "MISSED");
  }

  private static long median(List<Long> values) {
    long[] a = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
