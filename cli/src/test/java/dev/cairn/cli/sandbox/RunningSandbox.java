package dev.cairn.cli.sandbox;

import dev.cairn.cli.CairnCli;
import dev.cairn.sandbox.LiveWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code cairn sandbox up}, the real command, run in this JVM on free ports, and what it printed:
 * the export lines a second shell pastes. Tests reach it only through those, except for {@link
 * #world()}, which observes without acting (object listings, the IAM decisions).
 */
public final class RunningSandbox implements AutoCloseable {

  private static final Pattern EXPORT = Pattern.compile("(?m)^export ([A-Z0-9_]+)=(.*)$");

  private final SandboxUpCommand command;
  private final Thread thread;
  private final StringWriter output;
  private final Map<String, String> exports = new LinkedHashMap<>();

  private RunningSandbox(SandboxUpCommand command, Thread thread, StringWriter output) {
    this.command = command;
    this.thread = thread;
    this.output = output;
  }

  /**
   * {@code sandbox up} for the Cairn checkout {@code repo} on ports the system picks, then {@code
   * more}: the arguments every test starts it with.
   */
  static String[] upArguments(Path repo, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "sandbox",
                "up",
                "--port",
                "0",
                "--dynamodb-port",
                "0",
                "--s3-port",
                "0",
                "--repo",
                repo.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * Starts {@code cairn sandbox up --time-scale timeScale} for the Cairn checkout {@code repo} and
   * waits until it printed its export lines. Its state files go to the directory the command makes
   * itself, which it removes when {@link #close()} stops it.
   */
  public static RunningSandbox start(Path repo, double timeScale) throws Exception {
    CommandLine cl = CairnCli.commandLine();
    SandboxUpCommand up =
        cl.getSubcommands().get("sandbox").getSubcommands().get("up").getCommand();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    Thread t =
        new Thread(
            () -> cl.execute(upArguments(repo, "--time-scale", Double.toString(timeScale))),
            "cairn-sandbox-up");
    t.setDaemon(true);
    t.start();
    RunningSandbox s = new RunningSandbox(up, t, out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!s.output().contains("Ctrl-C stops the sandbox")) {
      if (!t.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("sandbox up did not come up:\n" + s.output());
      }
      Thread.sleep(200);
    }
    Matcher m = EXPORT.matcher(s.output());
    while (m.find()) {
      s.exports.put(m.group(1), m.group(2));
    }
    return s;
  }

  /** Every {@code export NAME=value} line it printed, in order. */
  public Map<String, String> exports() {
    return Map.copyOf(exports);
  }

  /** One exported value; fails when it printed no such line. */
  public String export(String name) {
    String v = exports.get(name);
    if (v == null) {
      throw new IllegalStateException("sandbox up printed no export " + name + ":\n" + output());
    }
    return v;
  }

  /** Everything it printed so far (the export lines, then the timeline). */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /** The running world, for observation only. */
  public LiveWorld world() {
    return command.running().world();
  }

  @Override
  public void close() throws InterruptedException {
    command.stop();
    thread.join(30_000);
  }
}
