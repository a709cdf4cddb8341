package dev.cairn.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every interface core declares that a class outside core implements is a port, and a port sits in
 * a {@code port} folder of its concern ({@code ledger.port}, {@code sweep.port}, ...), so a reader
 * finds what an adapter has to implement by folder (docs/decisions/2026-12-07-ports-by-folder.md).
 *
 * <p>The rule lives here rather than in core's {@code CoreDependencyRulesTest}: core's test class
 * path holds core and nothing that implements it, while cli's holds every adapter: cli itself, the
 * sandbox and, through it, every handler module, every {@code lambdas/aws*} module, {@code
 * local/servers}, {@code local/emulators} and the test support. ArchUnit is a test dependency of
 * core only, so this reads each class's supertypes through the class loader, without initialising
 * the class.
 *
 * <p>Not ports, so not held to the rule: an interface whose every method has a default is a
 * listener an adapter may pass to observe a call ({@code verify.ProgressListener}), not a
 * capability core needs from it. A lambda or a method reference is not a class, so an adapter that
 * supplies a functional interface that way ({@code notifier::alert} for {@code
 * BreakGlassGate.Alerts}) is not seen; a class that implements one is.
 */
class PortsByFolderTest {

  /** One class outside core and an interface core declares that it implements. */
  record Implementation(String implementer, Class<?> coreInterface) {
    boolean portInAPortFolder() {
      return coreInterface
          .getPackageName()
          .matches("dev\\.cairn\\.core(\\.\\w+)*\\.port(\\.\\w+)*");
    }

    /** At least one method without a default: something an adapter has to supply. */
    boolean isPort() {
      return Arrays.stream(coreInterface.getMethods())
          .anyMatch(m -> Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m));
    }

    private static boolean isObjectMethod(Method m) {
      try {
        Object.class.getMethod(m.getName(), m.getParameterTypes());
        return true;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  }

  static List<String> scanned;
  static List<Implementation> implementations;

  @BeforeAll
  static void scanTheClassPath() throws Exception {
    ClassLoader loader = PortsByFolderTest.class.getClassLoader();
    Set<String> names = new TreeSet<>();
    int roots = 0;
    for (URL root : Collections.list(loader.getResources("dev/cairn/"))) {
      names.addAll(classNames(root));
      roots++;
    }
    scanned = List.copyOf(names);
    List<Implementation> found = new ArrayList<>();
    for (String name : scanned) {
      if (name.startsWith("dev.cairn.core.")) {
        continue;
      }
      Class<?> c = Class.forName(name, false, loader);
      for (Class<?> i : interfacesOf(c)) {
        if (i.getName().startsWith("dev.cairn.core.")) {
          found.add(new Implementation(name, i));
        }
      }
    }
    implementations = List.copyOf(found);
    System.out.printf(
        "PortsByFolderTest: %,d classes under dev/cairn/ in %d class path roots; %d classes outside"
            + " core implement an interface core declares: %d ports %s, %d listeners %s%n",
        scanned.size(),
        roots,
        implementations.stream().map(Implementation::implementer).distinct().count(),
        interfaces(true).size(),
        interfaces(true),
        interfaces(false).size(),
        interfaces(false));
  }

  private static Set<String> interfaces(boolean ports) {
    Set<String> names = new TreeSet<>();
    for (Implementation i : implementations) {
      if (i.isPort() == ports) {
        names.add(i.coreInterface().getName().substring("dev.cairn.core.".length()));
      }
    }
    return names;
  }

  @Test
  void everyCoreInterfaceAnAdapterImplements_isAPortInAPortFolder() {
    TreeMap<String, Set<String>> outsideAPortFolder = new TreeMap<>();
    for (Implementation i : implementations) {
      if (i.isPort() && !i.portInAPortFolder()) {
        outsideAPortFolder
            .computeIfAbsent(i.coreInterface().getName(), k -> new TreeSet<>())
            .add(i.implementer());
      }
    }
    assertThat(outsideAPortFolder)
        .as(
            "interfaces core declares, implemented outside core (by the classes listed), that do not"
                + " sit in a ..port.. package: move each into the port folder of its concern")
        .isEmpty();
  }

  /**
   * The scan reaches every kind of adapter: without this, a class path that lost a module (or a
   * scan that found nothing) would pass the rule above by seeing nothing.
   */
  @Test
  void theScanSeesTheAdaptersOfEveryModule() {
    Set<String> implementingPackages = new TreeSet<>();
    for (Implementation i : implementations) {
      if (i.isPort()) {
        implementingPackages.add(i.implementer().substring(0, i.implementer().lastIndexOf('.')));
      }
    }
    assertThat(implementingPackages)
        .contains(
            "dev.cairn.aws.ledger", // lambdas/aws
            "dev.cairn.aws.metrics", // lambdas/aws-runtime
            "dev.cairn.aws.cloudformation",
            "dev.cairn.aws.cloudwatch",
            "dev.cairn.aws.assets", // lambdas/aws-ecr
            "dev.cairn.aws.codebuild",
            "dev.cairn.aws.events", // lambdas/aws-eventbridge
            "dev.cairn.aws.sfn",
            "dev.cairn.aws.cloudtrail",
            "dev.cairn.sandbox",
            "dev.cairn.testsupport");
    assertThat(implementations)
        .as("cli's own classes are scanned too")
        .anyMatch(i -> i.implementer().startsWith("dev.cairn.cli."));
  }

  private static Set<Class<?>> interfacesOf(Class<?> c) {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        addWithSuperinterfaces(i, all);
      }
    }
    return all;
  }

  private static void addWithSuperinterfaces(Class<?> i, Set<Class<?>> all) {
    if (all.add(i)) {
      for (Class<?> s : i.getInterfaces()) {
        addWithSuperinterfaces(s, all);
      }
    }
  }

  /** The classes under {@code dev/cairn/} of one class path root, a directory or a jar. */
  private static Set<String> classNames(URL root) throws IOException, URISyntaxException {
    Set<String> names = new TreeSet<>();
    if (root.getProtocol().equals("file")) {
      Path dir = Path.of(root.toURI());
      Path base = dir.getParent().getParent();
      try (Stream<Path> files = Files.walk(dir)) {
        files
            .filter(p -> isClass(p.toString()))
            .forEach(p -> names.add(className(base.relativize(p).toString())));
      }
    } else if (root.getProtocol().equals("jar")) {
      JarURLConnection connection = (JarURLConnection) root.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        jar.stream()
            .map(e -> e.getName())
            .filter(n -> n.startsWith("dev/cairn/") && isClass(n))
            .forEach(n -> names.add(className(n)));
      }
    } else {
      throw new IllegalStateException("a class path root this scan cannot read: " + root);
    }
    return names;
  }

  private static boolean isClass(String path) {
    return path.endsWith(".class")
        && !path.endsWith("module-info.class")
        && !path.endsWith("package-info.class");
  }

  private static String className(String relativePath) {
    return relativePath
        .substring(0, relativePath.length() - ".class".length())
        .replace('/', '.')
        .replace(java.io.File.separatorChar, '.');
  }
}
