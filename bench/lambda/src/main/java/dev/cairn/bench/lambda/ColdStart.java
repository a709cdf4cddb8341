package dev.cairn.bench.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.aws.runtime.Priming;
import dev.cairn.testsupport.lambda.LocalLambdaRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One cold start in this (fresh) JVM: INIT (the handler's public no-arg constructor, as Lambda runs
 * it, then its priming unless {@code unprimed}), then ten invocations with the handler's event
 * against DynamoDB Local and S3Proxy (started by {@link LambdaBenchmark} in another process, so
 * none of their client code is warm here) and the in-process emulators for the other services, as
 * the handler tests use them. Prints one line: {@code BENCH <handler> <mode> init_ms first_ms
 * tenth_ms classes_loaded_in_init classes_loaded_in_first constructor_ms priming_ms init_cpu_ms
 * outcome} (init_cpu_ms: the process's CPU time over INIT, every thread's, JIT and GC included).
 * With {@code BENCH_PHASES=1} it also prints the constructor's timeline ({@link Phases}).
 *
 * <p>Nothing this process does before INIT touches the SDK, Jackson or the JCA: the control-plane
 * config arrives as text in a file, and every client is built when the handler asks for it.
 *
 * <p>Arguments: handler (or {@code minimal}), {@code primed|unprimed}, the DynamoDB endpoint, the
 * S3 endpoint, a properties file with the environment and the config.
 */
public final class ColdStart {

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    String handler = args[0];
    boolean primed = args[1].equals("primed");
    URI dynamoDbEndpoint = URI.create(args[2]);
    URI s3Endpoint = URI.create(args[3]);
    java.util.Properties setUp = new java.util.Properties();
    try (InputStream in = Files.newInputStream(Path.of(args[4]))) {
      setUp.load(in);
    }
    Map<String, String> env = new HashMap<>();
    for (String name : setUp.stringPropertyNames()) {
      if (name.startsWith("env.")) {
        env.put(name.substring(4), setUp.getProperty(name));
      }
    }
    byte[] event = setUp.getProperty("event." + handler, "{}").getBytes(StandardCharsets.UTF_8);
    LambdaRuntime emulated =
        new LocalLambdaRuntime(
                dynamoDbEndpoint, s3Endpoint, Clock.systemUTC(), env, setUp.getProperty("config"))
            .runtime(env);
    LambdaRuntime local =
        new LambdaRuntime(
            emulated.environment(),
            new UrlConnectionS3(emulated.clients(), s3Endpoint),
            emulated.clock(),
            emulated.sleeper());
    boolean phased = "1".equals(System.getenv("BENCH_PHASES"));

    java.lang.management.ClassLoadingMXBean classes =
        java.lang.management.ManagementFactory.getClassLoadingMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long classesBefore = classes.getTotalLoadedClassCount();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Phases phases = phased ? new Phases(local.clients(), t0) : null;
    LambdaRuntime runtime =
        phased
            ? new LambdaRuntime(local.environment(), phases, local.clock(), local.sleeper())
            : local;
    RequestStreamHandler h = LambdaRuntime.initWith(runtime, init(handler, dynamoDbEndpoint, env));
    long constructed = System.nanoTime();
    Priming priming = null;
    if (primed && !handler.equals("minimal")) {
      // minimal-primed: the floor, primed as the functions are.
      priming = priming(h);
      priming.prime();
    }
    long init = System.nanoTime() - t0;
    long initCpu = os.getProcessCpuTime() - cpu0;
    if (phased) {
      for (String line : phases.lines(handler, (constructed - t0) / 1e6)) {
        System.out.println(line);
      }
      if (priming != null && hasLastRun()) {
        System.out.println(
            "PHASE "
                + handler
                + " priming "
                + (t0 + init - constructed) / 1_000_000
                + " ms: "
                + priming.lastRun());
      }
    }
    long classesInit = classes.getTotalLoadedClassCount();
    long classesFirst = 0;
    // Marks the start of the first invocation in a -Xlog:class+load log (BENCH_JAVA_OPTS).
    FirstInvocation.mark();

    long first = 0;
    long tenth = 0;
    String outcome = "";
    for (int i = 1; i <= 10; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long s = System.nanoTime();
      try {
        h.handleRequest(new ByteArrayInputStream(event), out, null);
        outcome = summary(out.toString(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        outcome = e.getClass().getSimpleName();
      }
      long took = System.nanoTime() - s;
      if (i == 1) {
        first = took;
        classesFirst = classes.getTotalLoadedClassCount();
      } else if (i == 10) {
        tenth = took;
      }
    }
    System.out.printf(
        java.util.Locale.ROOT,
        "BENCH %s %s %.2f %.2f %.2f %d %d %.2f %.2f %.2f %s%n",
        handler,
        primed ? "primed" : "unprimed",
        init / 1e6,
        first / 1e6,
        tenth / 1e6,
        classesInit - classesBefore,
        classesFirst - classesInit,
        (constructed - t0) / 1e6,
        (t0 + init - constructed) / 1e6,
        initCpu / 1e6,
        outcome);
    System.out.flush();
    System.exit(0);
  }

  /** Main's jars (BEFORE) have no {@link Priming#lastRun()}. */
  private static boolean hasLastRun() {
    try {
      Priming.class.getMethod("lastRun");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Loaded right before the first invocation: its line splits a class-loading log. */
  private static final class FirstInvocation {
    static void mark() {}
  }

  private static Supplier<RequestStreamHandler> init(
      String handler, URI dynamoDbEndpoint, Map<String, String> env) {
    return switch (handler) {
      case "manifest-verifier" -> dev.cairn.lambda.verifier.ManifestVerifierHandler::new;
      case "deployer" -> dev.cairn.lambda.deployer.DeployerHandler::new;
      case "sweeper" -> dev.cairn.lambda.sweeper.SweeperHandler::new;
      case "finalizer" -> dev.cairn.lambda.finalizer.FinalizerHandler::new;
      case "audit-anchorer" -> dev.cairn.lambda.anchorer.AuditAnchorerHandler::new;
      case "override" -> dev.cairn.lambda.override.OverrideHandler::new;
      case "registrar" -> dev.cairn.lambda.registrar.RegistrarHandler::new;
      case "minimal", "minimal-primed" -> MinimalHandler::new;
      default -> {
        if (handler.startsWith("twins-")) {
          yield () -> new TwinsHandler(handler.substring("twins-".length()));
        }
        throw new IllegalArgumentException("no handler " + handler);
      }
    };
  }

  private static Priming priming(RequestStreamHandler h) {
    if (h instanceof dev.cairn.lambda.verifier.ManifestVerifierHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.deployer.DeployerHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.sweeper.SweeperHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.finalizer.FinalizerHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.anchorer.AuditAnchorerHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.override.OverrideHandler x) {
      return x.priming();
    } else if (h instanceof dev.cairn.lambda.registrar.RegistrarHandler x) {
      return x.priming();
    } else if (h instanceof MinimalHandler x) {
      return x.priming();
    } else if (h instanceof TwinsHandler x) {
      return x.priming();
    }
    throw new IllegalArgumentException("no priming on " + h.getClass());
  }

  /** The result's outcome-like field, for the reader to see which path ran. */
  private static String summary(String json) {
    for (String field : new String[] {"outcome", "kind", "status", "started"}) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"" + field + "\":\"?([^\",}]*)").matcher(json);
      if (m.find()) {
        return field + "=" + m.group(1);
      }
    }
    return json.length() > 40 ? json.substring(0, 40) : json;
  }

  /**
   * The tests' clients with S3 on url-connection, the HTTP client production ships. The tests'
   * {@code LocalLambdaRuntime} builds S3 on the SDK's Apache client, because S3Proxy and
   * url-connection disagree on some PUTs; the bench's events only read S3 (a manifest that is
   * absent, listings), so its first invocations load the client a function does.
   */
  private record UrlConnectionS3(dev.cairn.aws.client.ClientSource tests, URI s3Endpoint)
      implements dev.cairn.aws.client.ClientSource {

    @Override
    public software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
      return tests.dynamoDb();
    }

    /** As production builds it ({@code AwsClients}), with S3Proxy's endpoint and keys. */
    @Override
    public software.amazon.awssdk.services.s3.S3Client s3() {
      return dev.cairn.aws.client.AwsClients.of(s3Endpoint.toString(), null)
          .s3(
              software.amazon.awssdk.regions.Region.of(LocalLambdaRuntime.REGION),
              software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                  software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                      dev.cairn.local.servers.LocalS3.ACCESS_KEY,
                      dev.cairn.local.servers.LocalS3.SECRET_KEY)));
    }

    @Override
    public <C extends software.amazon.awssdk.core.SdkClient> C client(Class<C> type) {
      return type == software.amazon.awssdk.services.s3.S3Client.class
          ? type.cast(s3())
          : tests.client(type);
    }

    @Override
    public <C extends software.amazon.awssdk.core.SdkClient> C client(
        Class<C> type,
        String region,
        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
      return tests.client(type, region, credentials);
    }
  }
}
