package dev.cairn.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn sandbox} in {@code cairn.jar}, the jar CI runs with its signing role: that jar
 * carries no emulator, local server or test code, so the sandbox ships as {@code cairn-sandbox.jar}
 * beside it. This command runs the same arguments there, in this JVM, through a class loader of its
 * own (nothing of this jar's class path mixes in), so {@code java -jar cairn.jar sandbox run} works
 * as before.
 */
@Command(
    name = "sandbox",
    description = "Run Cairn locally: the whole pipeline per scenario, or its AWS dependencies.",
    exitCodeListHeading = "%nExit codes (of the subcommand run):%n",
    exitCodeList = {
      "0:success",
      "1:verification failed (or the checked condition does not hold)",
      "2:usage or I/O error; no subcommand or an unknown one; cairn-sandbox.jar not found"
    })
final class SandboxJarCommand implements Callable<Integer> {

  /** The sandbox jar's file name, beside {@code cairn.jar}. */
  static final String JAR = "cairn-sandbox.jar";

  /** The sandbox's command class: present in the sandbox jar (and in tests), absent here. */
  static final String SANDBOX_COMMAND = "dev.cairn.cli.sandbox.SandboxCommand";

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "What `cairn sandbox` takes.")
  List<String> args = new ArrayList<>();

  /** The sandbox command itself where its classes are loadable, else this stand-in. */
  static Object command() {
    try {
      return Class.forName(SANDBOX_COMMAND).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      return new SandboxJarCommand();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(SANDBOX_COMMAND + ": " + e, e);
    }
  }

  @Override
  public Integer call() throws Exception {
    Path jar = beside();
    if (jar == null || !Files.isRegularFile(jar)) {
      spec.commandLine()
          .getErr()
          .println(
              "error: cairn sandbox runs from "
                  + JAR
                  + ", which is not beside this jar"
                  + (jar == null ? "" : " (looked for " + jar + ")")
                  + "; ./mvnw -q -B -DskipTests package builds both");
      return CairnCli.EXIT_USAGE;
    }
    List<String> all = new ArrayList<>();
    all.add("sandbox");
    all.addAll(args);
    URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      // Its main exits the JVM with the sandbox command's exit code.
      loader
          .loadClass(CairnCli.class.getName())
          .getMethod("main", String[].class)
          .invoke(null, (Object) all.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
    }
    return CairnCli.EXIT_OK;
  }

  /** {@code cairn-sandbox.jar} in the directory of the jar this class was loaded from. */
  private static Path beside() throws java.net.URISyntaxException {
    var source = SandboxJarCommand.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return null;
    }
    File self = new File(source.getLocation().toURI());
    return self.isFile() ? self.toPath().resolveSibling(JAR) : null;
  }
}
