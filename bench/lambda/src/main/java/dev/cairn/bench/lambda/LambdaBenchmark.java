package dev.cairn.bench.lambda;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.schema.TableDefinition;
import dev.cairn.testsupport.lambda.LocalLambdaRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Lambda cold starts, handler by handler: each run is a fresh JVM ({@link ColdStart}) that times
 * INIT (the public no-arg constructor plus priming), then the first and the tenth invocation of a
 * real event against DynamoDB Local and S3Proxy, which this process runs so that the measured JVM
 * loads none of their code. Five runs per handler (RUNS), interleaved so load falls on every
 * handler alike; medians. The floor is {@link MinimalHandler}: one SDK client, one call.
 *
 * <p>{@code --unprimed} also runs every handler without priming, for the before/after figures.
 * Asserts nothing; prints figures and the load average.
 */
public final class LambdaBenchmark {

  static final List<String> ALL =
      List.of(
          "manifest-verifier",
          "deployer",
          "sweeper",
          "finalizer",
          "audit-anchorer",
          "override",
          "registrar");

  /** Every handler, or those named in {@code -DHANDLERS=a,b}. */
  static final List<String> HANDLERS =
      System.getProperty("HANDLERS") == null
          ? ALL
          : List.of(System.getProperty("HANDLERS").split(","));

  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  private LambdaBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean unprimed = Arrays.asList(args).contains("--unprimed");
    int runs =
        Integer.parseInt(System.getProperty("RUNS", System.getenv().getOrDefault("RUNS", "5")));
    String load = loadAverage();

    LocalDynamoDb dynamoDb = LocalDynamoDb.start(0);
    LocalS3 s3 = LocalS3.start(0);
    Path setUp = Files.createTempFile("cairn-bench-lambda", ".properties");
    try {
      Files.writeString(setUp, "", StandardCharsets.UTF_8);
      Properties p = setUp(dynamoDb, s3);
      try (OutputStream out = Files.newOutputStream(setUp)) {
        p.store(out, "bench/lambda set-up");
      }
      String classpath = classpath();
      Map<String, List<String>> shippedFlags = FunctionJvmFlags.read(FunctionJvmFlags.template());
      System.err.printf(
          "bench/lambda: JVM flags per function, from %s: %s%n",
          FunctionJvmFlags.template(), shippedFlags);

      List<String> modes = unprimed ? List.of("primed", "unprimed") : List.of("primed");
      // -DBEFORE=<local repo>: each handler also runs on Cairn's jars from that repository (e.g.
      // main's SNAPSHOTs in /root/.m2/repository), interleaved with this tree's: a before/after at
      // the same load.
      String before = System.getProperty("BEFORE");
      String beforeClasspath = before == null ? null : swapCairnJars(classpath, before);
      Map<String, List<double[]>> figures = new LinkedHashMap<>();
      Map<String, String> outcomes = new LinkedHashMap<>();
      Map<String, List<String>> details = new LinkedHashMap<>();
      for (int run = 1; run <= runs; run++) {
        List<String> order = new ArrayList<>();
        order.add("minimal primed");
        order.add("minimal-primed primed");
        for (String h : HANDLERS) {
          for (String m : modes) {
            order.add(h + " " + m);
          }
          if (before != null) {
            order.add(h + "@before primed");
          }
          order.add("twins-" + h + " primed");
        }
        for (String key : order) {
          String[] hm = key.split(" ");
          boolean old = hm[0].endsWith("@before");
          long started = System.nanoTime();
          List<String> other = new ArrayList<>();
          String line =
              coldStart(
                  FunctionJvmFlags.forRun(
                      shippedFlags,
                      old ? hm[0].substring(0, hm[0].length() - "@before".length()) : hm[0]),
                  old ? beforeClasspath : classpath,
                  old ? hm[0].substring(0, hm[0].length() - "@before".length()) : hm[0],
                  hm[1],
                  dynamoDb.endpoint().toString(),
                  s3.endpoint().toString(),
                  setUp,
                  other);
          details.put(key, other);
          String[] f = line.split(" ", 12);
          double[] v = new double[8];
          for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(f[3 + i]);
          }
          figures.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
          outcomes.put(key, f.length > 11 ? f[11] : "");
          System.err.printf(
              Locale.ROOT,
              "bench/lambda: %s: %s (process %.1f s)%n",
              key,
              line,
              (System.nanoTime() - started) / 1e9);
        }
        System.err.printf("bench/lambda: run %d of %d done%n", run, runs);
      }

      double minimalInit = median(figures.get("minimal primed"), 0);
      System.out.printf(
          Locale.ROOT,
          "lambda: minimal SDK v2 handler: INIT %.1f ms, first %.1f ms, tenth %.1f ms; classes"
              + " loaded: %.0f in INIT, %.0f in the first invoke [%s]%n",
          minimalInit,
          median(figures.get("minimal primed"), 1),
          median(figures.get("minimal primed"), 2),
          median(figures.get("minimal primed"), 3),
          median(figures.get("minimal primed"), 4),
          outcomes.get("minimal primed"));
      String floor = "minimal-primed primed";
      System.out.printf(
          Locale.ROOT,
          "lambda: minimal SDK v2 handler primed over the loopback (the floor): INIT %.1f ms, first"
              + " %.1f ms, tenth %.1f ms (first = %.2f× tenth); classes loaded: %.0f in INIT, %.0f"
              + " in the first invoke [%s]%n",
          median(figures.get(floor), 0),
          median(figures.get(floor), 1),
          median(figures.get(floor), 2),
          median(figures.get(floor), 1) / median(figures.get(floor), 2),
          median(figures.get(floor), 3),
          median(figures.get(floor), 4),
          outcomes.get(floor));
      double worstFirst = 0;
      double worstInit = 0;
      // INIT as a function without SnapStart pays it: the handler's no-arg constructor alone, in
      // a fresh JVM (priming runs only before a snapshot), against the minimal handler's INIT in
      // the same run.
      double worstConstructor = 0;
      List<String> rows = new ArrayList<>();
      for (String m : modes) {
        for (String h : HANDLERS) {
          rows.add(h + " " + m);
          if (m.equals("primed")) {
            if (before != null) {
              rows.add(h + "@before primed");
            }
            rows.add("twins-" + h + " primed");
          }
        }
      }
      for (String key : rows) {
        String h = key.split(" ")[0];
        String m = key.split(" ")[1];
        double init = median(figures.get(key), 0);
        double first = median(figures.get(key), 1);
        double tenth = median(figures.get(key), 2);
        System.out.printf(
            Locale.ROOT,
            "lambda: %-24s %-8s INIT %7.1f ms (%.2f× minimal; constructor %6.1f, priming %6.1f;"
                + " CPU %6.1f ms), first %6.1f ms, tenth %5.1f ms (first = %.2f× tenth); classes"
                + " loaded: %.0f in INIT, %.0f in the first invoke [%s]%n",
            h,
            m,
            init,
            init / minimalInit,
            median(figures.get(key), 5),
            median(figures.get(key), 6),
            median(figures.get(key), 7),
            first,
            tenth,
            first / tenth,
            median(figures.get(key), 3),
            median(figures.get(key), 4),
            outcomes.get(key));
        if (m.equals("primed") && HANDLERS.contains(h)) {
          worstFirst = Math.max(worstFirst, first / tenth);
          worstInit = Math.max(worstInit, init / minimalInit);
          worstConstructor = Math.max(worstConstructor, median(figures.get(key), 5) / minimalInit);
        }
      }
      for (String h : HANDLERS) {
        List<String> own = sdkSteps(details.get(h + " primed"));
        List<String> twins = sdkSteps(details.get("twins-" + h + " primed"));
        if (!new java.util.HashSet<>(own).equals(new java.util.HashSet<>(twins))) {
          System.out.printf(
              "lambda: WARNING twins-%s prime %s, the handler's SDK steps are %s%n", h, twins, own);
        }
      }
      if (System.getenv("BENCH_PHASES") != null) {
        for (Map.Entry<String, List<String>> e : details.entrySet()) {
          for (String line : e.getValue()) {
            if (line.startsWith("PHASE ")) {
              System.out.println("lambda: " + e.getKey() + ": " + line.substring(6));
            } else {
              java.util.regex.Matcher message =
                  java.util.regex.Pattern.compile("\"message\":\"([^\"]*)\"").matcher(line);
              System.out.println(
                  "lambda: " + e.getKey() + ": " + (message.find() ? message.group(1) : line));
            }
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "lambda: %d runs per handler, medians; load average before %s, after %s; %d cores,"
              + " %s%n",
          runs,
          load,
          loadAverage(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      System.out.printf(
          Locale.ROOT,
          "lambda: worst first-invoke after priming = %.2f× its tenth invoke; worst INIT = %.2f×"
              + " the minimal handler%n",
          worstFirst,
          worstInit);
      System.out.printf(
          Locale.ROOT,
          "lambda: worst no-arg constructor (INIT without priming) = %.2f× the minimal handler's"
              + " INIT%n",
          worstConstructor);
    } finally {
      Files.deleteIfExists(setUp);
      s3.close();
      dynamoDb.close();
    }
    System.exit(0);
  }

  /** Tables, buckets, the environment every function is configured with, config and events. */
  private static Properties setUp(LocalDynamoDb dynamoDb, LocalS3 s3) {
    Properties p = new Properties();
    DynamoDbClient ddb = dynamoDb.client();
    LocalTables tables =
        new LocalTables(
            TableDefinition.ARTIFACT_METADATA,
            TableDefinition.AUDIT_LOG,
            TableDefinition.IDEMPOTENCY);
    dynamoDb.createTable(ddb, TableDefinition.ARTIFACT_METADATA, tables.artifactMetadata());
    dynamoDb.createTable(ddb, TableDefinition.AUDIT_LOG, tables.auditLog());
    dynamoDb.createTable(ddb, TableDefinition.IDEMPOTENCY, tables.idempotency());
    LocalBuckets buckets =
        new LocalBuckets("cairn-candidates", "cairn-releases", "cairn-contexts", "cairn-anchors");
    S3Client s3Client = s3.client();
    for (String bucket :
        List.of(
            buckets.candidate(), buckets.release(), buckets.contexts(), buckets.auditAnchors())) {
      LocalS3.createVersionedBucket(s3Client, bucket);
    }
    LocalLambdaRuntime.environment(tables, buckets).forEach((k, v) -> p.setProperty("env." + k, v));
    p.setProperty("config", LocalLambdaRuntime.config());

    String execution =
        "arn:aws:states:us-east-1:111111111111:execution:DeployArtifactPipeline:bench";
    p.setProperty(
        "event.manifest-verifier",
        "{\"action\":\"verify\",\"service\":\"orders\",\"commit_sha\":\""
            + COMMIT
            + "\",\"environment\":\"dev\",\"bucket\":\"cairn-candidates\",\"manifest_key\":"
            + "\"orders/"
            + COMMIT
            + "/artifact-manifest.json\"}");
    p.setProperty(
        "event.deployer",
        "{\"action\":\"acquire_lease\",\"service\":\"orders\",\"commit_sha\":\""
            + COMMIT
            + "\",\"environment\":\"dev\",\"execution_id\":\""
            + execution
            // The rest of what the definition's AcquireLease sends: the deployer refuses a
            // payload without it before any use case runs.
            + "\",\"trigger\":\"s3\",\"execution_name\":\"bench\","
            + "\"execution_started_at\":\"2026-12-06T09:00:00.000Z\","
            + "\"artifact_sha256\":\""
            + "9".repeat(64)
            + "\",\"asset_verification_passed\":true}");
    String scheduled =
        "{\"version\":\"0\",\"id\":\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\",\"detail-type\":"
            + "\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"111111111111\","
            + "\"time\":\"2026-12-06T09:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
            + "\"detail\":{}}";
    p.setProperty("event.sweeper", scheduled);
    p.setProperty("event.audit-anchorer", scheduled);
    p.setProperty(
        "event.finalizer",
        "{\"version\":\"0\",\"detail-type\":\"Step Functions Execution Status Change\","
            + "\"source\":\"aws.states\",\"detail\":{\"executionArn\":\""
            + execution
            + "\",\"name\":\"bench\",\"status\":\"FAILED\",\"startDate\":1796547600000,"
            + "\"stopDate\":1796547900000,\"input\":\"{\\\"service\\\":\\\"orders\\\","
            + "\\\"commit_sha\\\":\\\""
            + COMMIT
            + "\\\",\\\"environment\\\":\\\"dev\\\"}\"}}");
    p.setProperty(
        "event.override",
        "{\"schema_version\":\"1\",\"action\":\"approve\",\"service\":\"orders\",\"commit_sha\":\""
            + COMMIT
            + "\",\"environment\":\"dev\",\"artifact_sha256\":\""
            + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
            + "\",\"installation_id\":\"111111111111:us-east-1\",\"approval_expires_at\":"
            + "\"2026-11-23T12:00:00Z\",\"reason\":\"bench\",\"requester\":\"bob@example.com\","
            + "\"requested_at\":\"2026-11-22T12:00:00Z\",\"expires_at\":\"2026-11-22T12:10:00Z\","
            + "\"nonce\":\"c2946ac92492d2347c6235b4d2611185\",\"signing_identity\":\"key:bob\","
            + "\"signature\":\"MEUCIQDxN2Jv5pS0qZ8l3bWQ1a0m9u7nQ8m7y1hWwqj9g0v8jQIgQ0y2m5d2rVbq9O1m3m8o3p6H0rKk3zGz2XW2Yl3lVn0=\"}");
    p.setProperty("event.registrar", "{\"service\":\"orders\",\"commit_sha\":\"" + COMMIT + "\"}");
    return p;
  }

  /** Runs one cold start in a new JVM; returns its BENCH line. */
  private static String coldStart(
      List<String> jvmFlags,
      String classpath,
      String handler,
      String mode,
      String ddb,
      String s3,
      Path setUp,
      List<String> other)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // What Lambda runs the function with (its runtime's default, then the function's
    // JAVA_TOOL_OPTIONS from the synthesized template); BENCH_JAVA_OPTS comes after and wins.
    command.addAll(jvmFlags);
    String opts = System.getenv("BENCH_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      command.addAll(Arrays.asList(opts.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-cp", classpath, ColdStart.class.getName(), handler, mode, ddb, s3, setUp.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Lambda sets it in every function's process: the EMF library then resolves Lambda's
    // environment (documents to stdout), as in production, not a CloudWatch agent over TCP.
    builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "bench-" + handler);
    Process process = builder.start();
    String bench = null;
    StringBuilder rest = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("BENCH ")) {
          bench = line;
        } else if (line.startsWith("PHASE ")
            || line.contains("SnapStart priming of")
            || "2".equals(System.getenv("BENCH_PHASES"))) {
          other.add(line);
        } else if (rest.length() < 4000) {
          rest.append(line).append('\n');
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || bench == null) {
      throw new IllegalStateException(
          handler + " " + mode + ": the cold start failed (exit " + exit + "):\n" + rest);
    }
    return bench;
  }

  private static String classpath() {
    ClassLoader loader = LambdaBenchmark.class.getClassLoader();
    if (loader instanceof URLClassLoader u) {
      return Arrays.stream(u.getURLs())
          .map(LambdaBenchmark::path)
          .collect(Collectors.joining(java.io.File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }

  private static String path(URL url) {
    try {
      return Path.of(url.toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The SDK steps named in a run's priming log line ({@code ...: [DynamoDB 12 ms, S3 30 ms, ...]}):
   * every step but the event, the signatures and the metrics.
   */
  private static List<String> sdkSteps(List<String> lines) {
    List<String> steps = new ArrayList<>();
    for (String line : lines == null ? List.<String>of() : lines) {
      int open = line.lastIndexOf('[');
      int close = line.lastIndexOf(']');
      if (line.contains("SnapStart priming of") && open >= 0 && close > open) {
        for (String step : line.substring(open + 1, close).split(", ")) {
          String name = step.replaceAll(" \\d+ ms$", "");
          if (!name.startsWith("event ")
              && !name.startsWith("invocation ")
              && !name.equals("signatures")
              && !name.equals("metrics")) {
            steps.add(name);
          }
        }
      }
    }
    return steps;
  }

  /** {@code classpath} with every dev/cairn jar taken from the local repository {@code repo}. */
  private static String swapCairnJars(String classpath, String repo) {
    List<String> out = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      int at = entry.indexOf("/dev/cairn/");
      if (at >= 0 && entry.endsWith(".jar")) {
        Path swapped = Path.of(repo, entry.substring(at));
        if (!Files.exists(swapped)) {
          throw new IllegalStateException("no " + swapped + " for BEFORE");
        }
        out.add(swapped.toString());
      } else {
        out.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, out);
  }

  private static double median(List<double[]> runs, int column) {
    double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
