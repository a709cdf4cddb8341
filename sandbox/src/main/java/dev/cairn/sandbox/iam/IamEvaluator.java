package dev.cairn.sandbox.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Checks recorded AWS calls against IAM policies with an independent evaluator: {@code
 * sandbox/iam-check/evaluate.mjs} on {@code @cloud-copilot/iam-simulate}, run as a separate node
 * process (it is AGPL-3.0: test-time only, never linked or shipped). One process per {@link
 * #evaluate} call answers the whole batch.
 */
public final class IamEvaluator {

  /** Where the script sits in a Cairn checkout. */
  public static final Path SCRIPT = Path.of("sandbox", "iam-check", "evaluate.mjs");

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Path INSTALLED =
      Path.of("node_modules", "@cloud-copilot", "iam-simulate", "package.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Executor IO =
      task -> {
        Thread thread = new Thread(task, "iam-check-io");
        thread.setDaemon(true);
        thread.start();
      };

  private final Path node;
  private final Path script;
  private final Clock clock;
  private final Duration timeout;

  IamEvaluator(Path node, Path script, Clock clock, Duration timeout) {
    this.node = Objects.requireNonNull(node, "node");
    this.script = Objects.requireNonNull(script, "script");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /**
   * Finds {@code sandbox/iam-check/evaluate.mjs} with its installed {@code node_modules} in {@code
   * start} or a parent directory, and {@code node} on PATH; empty when either is missing. {@code
   * aws:CurrentTime} comes from the system clock.
   */
  public static Optional<IamEvaluator> locate(Path start) {
    return locate(start, Clock.systemUTC(), DEFAULT_TIMEOUT);
  }

  /** As {@link #locate(Path)}, with the clock for {@code aws:CurrentTime} and a batch timeout. */
  public static Optional<IamEvaluator> locate(Path start, Clock clock, Duration timeout) {
    Optional<Path> node = nodeOnPath(System.getenv("PATH"));
    Optional<Path> script = scriptFrom(start);
    if (node.isEmpty() || script.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new IamEvaluator(node.get(), script.get(), clock, timeout));
  }

  static Optional<Path> scriptFrom(Path start) {
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve(SCRIPT);
      if (Files.isRegularFile(script) && Files.isRegularFile(script.resolveSibling(INSTALLED))) {
        return Optional.of(script);
      }
    }
    return Optional.empty();
  }

  static Optional<Path> nodeOnPath(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isBlank()) continue;
      for (String name : List.of("node", "node.exe")) {
        Path candidate = Path.of(entry, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  public Path script() {
    return script;
  }

  /**
   * Evaluates every request in one node process; the decisions come back in request order.
   *
   * @throws IamEvaluationException when node fails or times out, or iam-simulate rejects a request
   *     (invalid policy, unknown action, resource that is not a concrete ARN): the message names
   *     the request and node's stderr
   */
  public List<IamDecision> evaluate(List<IamRequest> requests) {
    List<IamRequest> batch = List.copyOf(requests);
    if (batch.isEmpty()) {
      return List.of();
    }
    JsonNode response = run(requestDocument(batch));
    JsonNode results = response.path("results");
    if (!results.isArray() || results.size() != batch.size()) {
      throw new IamEvaluationException(
          "iam-check answered " + results.size() + " results for " + batch.size() + " requests",
          "");
    }
    List<IamDecision> decisions = new ArrayList<>(batch.size());
    List<String> rejected = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      JsonNode result = results.get(i);
      IamRequest request = batch.get(i);
      if (!result.path("id").asText().equals(String.valueOf(i))) {
        throw new IamEvaluationException("iam-check answered out of order at " + i, "");
      }
      String decision = result.path("decision").asText();
      if (decision.equals("Error")) {
        rejected.add(
            "request "
                + i
                + " ("
                + request.action()
                + " on "
                + request.resourceArn()
                + "): "
                + result.path("error"));
        continue;
      }
      List<String> ignored = new ArrayList<>();
      result.path("detail").path("ignoredContextKeys").forEach(k -> ignored.add(k.asText()));
      decisions.add(new IamDecision(request, decision, result.path("statement").asText(), ignored));
    }
    if (!rejected.isEmpty()) {
      throw new IamEvaluationException("iam-simulate rejected " + String.join("; ", rejected), "");
    }
    return List.copyOf(decisions);
  }

  private ObjectNode requestDocument(List<IamRequest> batch) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ObjectNode document = JSON.createObjectNode();
    ArrayNode array = document.putArray("requests");
    for (int i = 0; i < batch.size(); i++) {
      array.add(entry(batch.get(i), String.valueOf(i), now));
    }
    return document;
  }

  /** One request as the script reads it. */
  private static ObjectNode entry(IamRequest request, String id, Instant now) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("id", id);
    entry.put("principal", request.principalArn());
    entry.put("action", request.action());
    entry.put("resource", request.resourceArn());
    entry.put("resourceAccount", request.resourceAccount());
    entry.putArray("identityPolicies").addAll(request.identityPolicies());
    entry.set("permissionBoundary", request.permissionBoundary());
    entry.set("resourcePolicy", request.resourcePolicy());
    Map<String, String> context = new LinkedHashMap<>(request.context());
    putIfAbsent(context, "aws:CurrentTime", DateTimeFormatter.ISO_INSTANT.format(now));
    putIfAbsent(context, "aws:EpochTime", String.valueOf(now.getEpochSecond()));
    ObjectNode contextNode = entry.putObject("context");
    context.forEach(contextNode::put);
    return entry;
  }

  /**
   * One node process that stays up and decides each request as it comes ({@code evaluate.mjs
   * --serve}: a JSON line in, a JSON line out): for a sandbox that decides calls as they are made.
   * Calls are answered one at a time, in order.
   *
   * @throws IamEvaluationException when node does not start
   */
  public Server serve() {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(node.toString(), script.getFileName().toString(), "--serve")
              .directory(script.getParent().toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("NODE_NO_WARNINGS", "1");
      return new Server(builder.start());
    } catch (IOException e) {
      throw new IamEvaluationException(
          "could not start " + node + " " + script + " --serve", "", e);
    }
  }

  /** A running {@code evaluate.mjs --serve}. */
  public final class Server implements AutoCloseable {
    private final Process process;
    private final java.io.BufferedReader results;
    private final OutputStream requests;
    private long next;

    private Server(Process process) {
      this.process = process;
      this.results =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.requests = process.getOutputStream();
    }

    /**
     * The decision on {@code request}.
     *
     * @throws IamEvaluationException when the process is gone or iam-simulate rejected the request
     */
    public synchronized IamDecision decide(IamRequest request) {
      String id = Long.toString(next++);
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      JsonNode result;
      try {
        requests.write(JSON.writeValueAsBytes(entry(request, id, now)));
        requests.write('\n');
        requests.flush();
        String line = results.readLine();
        if (line == null) {
          throw new IamEvaluationException("iam-check --serve exited", "");
        }
        result = JSON.readTree(line);
      } catch (IOException e) {
        throw new IamEvaluationException("iam-check --serve: " + e.getMessage(), "", e);
      }
      if (!result.path("id").asText().equals(id)) {
        throw new IamEvaluationException("iam-check --serve answered out of order at " + id, "");
      }
      if (result.path("decision").asText().equals("Error")) {
        throw new IamEvaluationException(
            "iam-simulate rejected "
                + request.action()
                + " on "
                + request.resourceArn()
                + ": "
                + result.path("error"),
            "");
      }
      List<String> ignored = new ArrayList<>();
      result.path("detail").path("ignoredContextKeys").forEach(k -> ignored.add(k.asText()));
      return new IamDecision(
          request, result.path("decision").asText(), result.path("statement").asText(), ignored);
    }

    @Override
    public void close() {
      try {
        requests.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void putIfAbsent(Map<String, String> context, String key, String value) {
    if (context.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(key))) {
      context.put(key, value);
    }
  }

  private JsonNode run(ObjectNode document) {
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(node.toString(), script.getFileName().toString())
              .directory(script.getParent().toFile());
      builder.environment().put("NODE_NO_WARNINGS", "1");
      process = builder.start();
    } catch (IOException e) {
      throw new IamEvaluationException("could not start " + node + " " + script, "", e);
    }
    CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
    CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
    IOException writeFailure = null;
    try (OutputStream stdin = process.getOutputStream()) {
      JSON.writeValue(stdin, document);
    } catch (IOException e) {
      writeFailure = e; // node exited early; its stderr says why
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IamEvaluationException(
            "iam-check did not finish within " + timeout, text(stderr, Duration.ofSeconds(1)));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IamEvaluationException("interrupted waiting for iam-check", "", e);
    }
    String errors = text(stderr, Duration.ofSeconds(5));
    if (process.exitValue() != 0 || writeFailure != null) {
      throw new IamEvaluationException(
          "iam-check (" + script + ") exited " + process.exitValue(), errors, writeFailure);
    }
    try {
      return JSON.readTree(stdout.get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IamEvaluationException("iam-check wrote no JSON document", errors, e);
    }
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        IO);
  }

  private static String text(CompletableFuture<byte[]> bytes, Duration wait) {
    try {
      return new String(bytes.get(wait.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "";
    }
  }
}
