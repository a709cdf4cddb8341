package dev.cairn.testsupport.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every Lambda's {@code ShippedJarIT} checks of {@code target/<name>.jar}, as Lambda receives
 * it: INIT, priming and one real event in a fresh JVM whose class path is the jar ({@link
 * ShippedJar}), with JSON log lines and no call to a service the run does not serve; no class
 * Cairn's code reaches names a BouncyCastle class the shade filters left out, nor an SDK class the
 * SDK operation pruner removed; the size, within the jar's budget. A handler module's test names
 * its jar, handler, event, budget and the outcome its event must have.
 */
public abstract class ShippedJarContract {

  /** The jar's name: {@code target/<name>.jar}. */
  protected abstract String jarName();

  /** The handler class Lambda is configured with. */
  protected abstract Class<?> handler();

  /** One real event, as the handler's trigger sends it. */
  protected abstract String event();

  /**
   * The jar's own budget, its size rounded up to the next half megabyte (bench/README.md, "SDK
   * operations pruned"), so it cannot grow unnoticed: lower it when the jar shrinks. Every jar is
   * also held to {@link ShippedJar#TARGET_BYTES}.
   */
  protected abstract long budgetBytes();

  /** Asserts what the event's outcome must be ({@link ShippedJar.Run#outcome()}). */
  protected abstract void expectOutcome(ShippedJar.Run run);

  private ShippedJar jar() {
    return ShippedJar.of(jarName());
  }

  @Test
  public void shippedJar_initsPrimesAndHandlesAnEvent() throws Exception {
    ShippedJar.Run run = jar().run(handler().getName(), event());

    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("JARSMOKE primed"), run.output());
    expectOutcome(run);
    // Its logs are JSON lines through Powertools' layout (the merged log4j plugin caches).
    assertEquals(List.of(), run.loggingErrors(), run.output());
    assertTrue(
        run.output().contains("{\"level\":\"INFO\",\"message\":\"invocation started\""),
        run.output());
    assertEquals(List.of(), run.unserved(), run.output());
  }

  @Test
  public void shippedJar_namesNoBouncyCastleClassItLacks() throws Exception {
    assertEquals(Set.of(), JarClosure.of(jar().path()).missing("dev/cairn/", "org/bouncycastle/"));
  }

  /**
   * The SDK operation pruner (lambdas/jar-pruner) ran after shade and left no reference dangling
   * that resolved before it: every SDK class Cairn's closure names in the jar as shipped, the
   * shaded jar it came from ({@code target/jar-pruner/<name>-unpruned.jar}) either held too or
   * lacked already (an optional module the SDK names by string, such as SSO's credentials).
   */
  @Test
  public void shippedJar_lacksNoSdkClassItHeldBeforePruning() throws Exception {
    Path unpruned = jar().path().resolveSibling("jar-pruner").resolve(jarName() + "-unpruned.jar");
    assertTrue(Files.isRegularFile(unpruned), unpruned + " is missing: the pruner did not run");
    Set<String> before = JarClosure.of(unpruned).missing("dev/cairn/", "software/amazon/awssdk/");
    Set<String> after =
        new TreeSet<>(JarClosure.of(jar().path()).missing("dev/cairn/", "software/amazon/awssdk/"));
    after.removeAll(before);
    assertEquals(Set.of(), after);
    assertTrue(Files.size(unpruned) > jar().size(), "the shipped jar is not the pruned one");
  }

  @Test
  public void shippedJar_staysWithinItsBudget() throws Exception {
    long size = jar().size();
    long budget = Math.min(budgetBytes(), ShippedJar.TARGET_BYTES);
    assertTrue(
        size <= budget, jarName() + ".jar is " + size + " bytes, over its budget of " + budget);
  }
}
