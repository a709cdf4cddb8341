package dev.cairn.testsupport.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.KmsEmulator;
import dev.cairn.local.emulators.KmsMacWireServer;
import dev.cairn.local.emulators.SnsEmulator;
import dev.cairn.local.emulators.SsmEmulator;
import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalS3;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.schema.TableDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * One Lambda jar as the build shipped it ({@code lambdas/<module>/target/<module>.jar}), run in a
 * fresh JVM whose class path is that jar and {@link JarSmoke} alone: INIT from the process
 * environment (the production client source, {@code AWS_ENDPOINT_URL_*} pointing at the local
 * services), SnapStart priming, one real event. DynamoDB Local and S3Proxy run in this process; SSM
 * ({@code GetParameter}: the control-plane config and the break-glass flag), SNS ({@code Publish})
 * and KMS ({@code GenerateMac}/{@code VerifyMac}) are answered over their wire protocols by the
 * emulators, EventBridge's {@code PutEvents} is accepted and recorded; any other call reaches a
 * responder that records it and answers {@code UnknownOperationException}, so nothing leaves the
 * machine.
 */
public final class ShippedJar {

  /** The most any Lambda jar may weigh, in bytes (20 MB of 10⁶ bytes; bench/README.md). */
  public static final long TARGET_BYTES = 20_000_000L;

  private static final String ACCOUNT = LocalLambdaRuntime.ACCOUNT;

  private final Path jar;

  private ShippedJar(Path jar) {
    this.jar = jar;
  }

  /** The jar the module under test packaged: {@code target/<name>.jar} of the working directory. */
  public static ShippedJar of(String name) {
    Path jar = Path.of("target", name + ".jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the package phase first");
    }
    return new ShippedJar(jar);
  }

  /** A jar at {@code jar} (a copy with entries removed, to show the check fails). */
  public static ShippedJar at(Path jar) {
    return new ShippedJar(jar);
  }

  public Path path() {
    return jar;
  }

  public long size() throws IOException {
    return Files.size(jar);
  }

  /**
   * What the fresh JVM printed, the calls no local service serves, the SNS topics it published to
   * and the detail types of the events it put.
   */
  public record Run(
      int exit, String output, List<String> unserved, List<String> published, List<String> events) {

    /**
     * What log4j's status logger reported as {@code ERROR} or {@code WARN}: a layout or plugin the
     * jar lacks (a lost plugin cache leaves every log line unwritten).
     */
    public List<String> loggingErrors() {
      return output.lines().filter(l -> l.matches("^\\S+ \\S+ (ERROR|WARN) .*")).toList();
    }

    /** The handler's output ({@code JARSMOKE result ...}) or exception ({@code threw ...}). */
    public String outcome() {
      return output
          .lines()
          .filter(l -> l.startsWith("JARSMOKE result ") || l.startsWith("JARSMOKE threw "))
          .findFirst()
          .orElse("");
    }
  }

  /** Runs the handler {@code handlerClass} from this jar on {@code event}. */
  public Run run(String handlerClass, String event) throws Exception {
    LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
    LocalS3 s3 = LocalS3.shared();
    String suffix = Long.toString(System.nanoTime(), 36);
    LocalTables tables =
        new LocalTables("metadata-" + suffix, "audit-" + suffix, "idempotency-" + suffix);
    DynamoDbClient ddb = dynamoDb.client();
    dynamoDb.createTable(ddb, TableDefinition.ARTIFACT_METADATA, tables.artifactMetadata());
    dynamoDb.createTable(ddb, TableDefinition.AUDIT_LOG, tables.auditLog());
    dynamoDb.createTable(ddb, TableDefinition.IDEMPOTENCY, tables.idempotency());
    LocalBuckets buckets =
        new LocalBuckets(
            "candidates-" + suffix,
            "releases-" + suffix,
            "contexts-" + suffix,
            "anchors-" + suffix);
    S3Client s3Client = s3.client();
    for (String bucket :
        List.of(
            buckets.candidate(), buckets.release(), buckets.contexts(), buckets.auditAnchors())) {
      LocalS3.createVersionedBucket(s3Client, bucket);
    }

    Map<String, String> env = new LinkedHashMap<>(LocalLambdaRuntime.environment(tables, buckets));
    SsmEmulator ssm = new SsmEmulator(ACCOUNT, LocalLambdaRuntime.REGION, Clock.systemUTC());
    ssm.seed(env.get("CONTROL_PLANE_CONFIG_PARAMETER"), LocalLambdaRuntime.config());
    ssm.seed(env.get("BREAK_GLASS_PARAMETER"), "off");
    KmsEmulator kms = new KmsEmulator(ACCOUNT, LocalLambdaRuntime.REGION);
    String macKey =
        kms.importMacKey(
            "record-mac",
            KeySpec.HMAC_256,
            "cairn-local-record-mac-key-32byt".getBytes(StandardCharsets.UTF_8));
    SnsEmulator sns = new SnsEmulator();
    List<String> unserved = new ArrayList<>();
    List<String> events = new ArrayList<>();

    Path work = Files.createTempDirectory("cairn-shipped-jar");
    Path smoke = work.resolve("classes/dev/cairn/testsupport/lambda/JarSmoke.class");
    Files.createDirectories(smoke.getParent());
    try (var in = JarSmoke.class.getResourceAsStream("JarSmoke.class")) {
      Files.write(smoke, in.readAllBytes());
    }
    Path eventFile = Files.writeString(work.resolve("event.json"), event);

    try (KmsMacWireServer kmsWire = KmsMacWireServer.start(kms);
        TempDirectory removed = new TempDirectory(work);
        Responder responder = Responder.start(ssm, sns, unserved, events)) {
      env.put("RECORD_MAC_KEY_ARN", macKey);
      env.put("AWS_LAMBDA_FUNCTION_NAME", jar.getFileName().toString().replace(".jar", ""));
      env.put("AWS_ACCESS_KEY_ID", LocalS3.ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", LocalS3.SECRET_KEY);
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.put("AWS_EMF_ENVIRONMENT", "Local");
      env.put("AWS_ENDPOINT_URL", responder.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_KMS", kmsWire.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_SSM", responder.endpoint().toString());
      env.put("AWS_ENDPOINT_URL_SNS", responder.endpoint().toString());

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // For a reader who wants more from the JVM, e.g. -Xlog:class+load:file=classes.txt.
      String options = System.getProperty("shippedJar.javaOptions", "");
      if (!options.isBlank()) {
        command.addAll(List.of(options.trim().split("\\s+")));
      }
      command.addAll(
          List.of(
              "-cp",
              jar + java.io.File.pathSeparator + work.resolve("classes"),
              JarSmoke.class.getName(),
              handlerClass,
              eventFile.toString()));
      // For the reader of a failure: everything the fresh JVM prints, beside the jar.
      Path log =
          jar.resolveSibling(jar.getFileName().toString().replace(".jar", "") + "-smoke.log");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("JAVA_TOOL"));
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean exited = p.waitFor(3, TimeUnit.MINUTES);
      if (!exited) {
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!exited) {
        throw new IllegalStateException(jar + ": no exit after 3 minutes:\n" + output);
      }
      List<String> published =
          sns.published().stream().map(SnsEmulator.Published::topicArn).toList();
      synchronized (unserved) {
        synchronized (events) {
          return new Run(
              p.exitValue(), output, List.copyOf(unserved), published, List.copyOf(events));
        }
      }
    }
  }

  /** The driver's class and the event file, removed when the run ends. */
  private record TempDirectory(Path path) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try (var walk = Files.walk(path)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * SSM (AWS JSON 1.1, {@code AmazonSSM.GetParameter}) and SNS (query protocol, {@code
   * Action=Publish}) on loopback from the emulators; anything else is recorded and refused.
   */
  private static final class Responder implements AutoCloseable {
    private final HttpServer server;
    private final SsmEmulator ssm;
    private final SnsEmulator sns;
    private final List<String> unserved;
    private final List<String> events;

    private Responder(
        HttpServer server,
        SsmEmulator ssm,
        SnsEmulator sns,
        List<String> unserved,
        List<String> events) {
      this.server = server;
      this.ssm = ssm;
      this.sns = sns;
      this.unserved = unserved;
      this.events = events;
    }

    static Responder start(
        SsmEmulator ssm, SnsEmulator sns, List<String> unserved, List<String> events)
        throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Responder r = new Responder(server, ssm, sns, unserved, events);
      server.createContext("/", r::handle);
      server.start();
      return r;
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      try {
        if ("AmazonSSM.GetParameter".equals(target)) {
          JsonNode in = Json.parse(body);
          try {
            var p = ssm.getParameter(b -> b.name(in.path("Name").asText(null))).parameter();
            ObjectNode out = Json.object();
            out.putObject("Parameter")
                .put("Name", p.name())
                .put("Type", p.typeAsString())
                .put("Value", p.value())
                .put("Version", p.version() == null ? 1L : p.version());
            send(exchange, 200, "application/x-amz-json-1.1", Json.compact(out));
          } catch (ParameterNotFoundException e) {
            send(
                exchange,
                400,
                "application/x-amz-json-1.1",
                "{\"__type\":\"ParameterNotFound\",\"message\":\"\"}");
          }
          return;
        }
        if ("AWSEvents.PutEvents".equals(target)) {
          // Accepted as EventBridge accepts them: one event id per entry, none failed.
          JsonNode in = Json.parse(body);
          ObjectNode out = Json.object();
          out.put("FailedEntryCount", 0);
          var entries = out.putArray("Entries");
          for (JsonNode entry : in.path("Entries")) {
            entries.addObject().put("EventId", java.util.UUID.randomUUID().toString());
            synchronized (events) {
              events.add(entry.path("DetailType").asText());
            }
          }
          send(exchange, 200, "application/x-amz-json-1.1", Json.compact(out));
          return;
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        if (target == null && "Publish".equals(form.get("Action"))) {
          String id =
              sns.publish(
                      b ->
                          b.topicArn(form.get("TopicArn"))
                              .subject(form.get("Subject"))
                              .message(form.get("Message")))
                  .messageId();
          send(
              exchange,
              200,
              "text/xml",
              "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                  + "<MessageId>"
                  + id
                  + "</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId>"
                  + "</ResponseMetadata></PublishResponse>");
          return;
        }
        synchronized (unserved) {
          unserved.add(
              target != null
                  ? target
                  : exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI().getPath()
                      + " "
                      + form.getOrDefault("Action", ""));
        }
        send(
            exchange,
            400,
            "application/x-amz-json-1.1",
            "{\"__type\":\"UnknownOperationException\",\"message\":\"not served by ShippedJar\"}");
      } catch (RuntimeException e) {
        send(
            exchange,
            500,
            "application/x-amz-json-1.1",
            "{\"__type\":\"InternalFailure\",\"message\":\"" + e.getClass().getName() + "\"}");
      }
    }

    private static Map<String, String> form(String body) {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          form.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return form;
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("x-amzn-RequestId", "shipped-jar");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
