import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The first canonicalization of a manifest in a fresh JVM, as a cold {@code manifest verify} does
 * it before checking the signature: {@code new} is {@code CanonicalJson.canonicalize} (the tree
 * written directly), {@code old} the reference implementation over Jackson's text of the tree
 * ({@code CanonicalJson.viaText}, what canonicalize did before 2026-12-07).
 *
 * <p>{@code javac -cp cli/target/cairn.jar -d /tmp/cj bench/verify/CanonicalJsonCold.java}, then
 * {@code java -XX:+UseSerialGC -cp cli/target/cairn.jar:/tmp/cj CanonicalJsonCold
 * /tmp/cairn-bench/artifact-manifest.json old|new}, a fresh JVM per line.
 */
public final class CanonicalJsonCold {

  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    Class<?> node = Class.forName("com.fasterxml.jackson.databind.JsonNode");
    Object tree =
        Class.forName("dev.cairn.core.json.Json").getMethod("parse", byte[].class).invoke(null, bytes);
    Class<?> canonical = Class.forName("dev.cairn.core.json.CanonicalJson");
    Method m =
        args[1].equals("new")
            ? canonical.getMethod("canonicalize", node)
            : canonical.getDeclaredMethod("viaText", node);
    m.setAccessible(true);
    long t0 = System.nanoTime();
    byte[] out = (byte[]) m.invoke(null, tree);
    System.out.printf(
        "%s: %d canonical bytes in %.1f ms, first call%n",
        args[1], out.length, (System.nanoTime() - t0) / 1e6);
  }
}
