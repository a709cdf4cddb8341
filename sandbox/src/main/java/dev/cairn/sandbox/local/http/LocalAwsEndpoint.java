package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;

/**
 * One loopback HTTP server for the AWS services the sandbox serves to other processes. A request
 * goes to the service named in its SigV4 credential scope ({@code Credential=KEY/DATE/REGION/
 * SERVICE/aws4_request}, in the {@code Authorization} header or a presigned URL); its caller is the
 * principal the access key was issued to. A request without credentials, with a key this endpoint
 * never issued, with another session's token or after its session expired is refused as AWS refuses
 * it (403), and never reaches a service.
 */
public final class LocalAwsEndpoint implements AutoCloseable {

  /** Temporary credentials of one principal (a role session). */
  public record Session(
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String principalArn,
      String sessionName,
      Instant expiration) {
    public Session {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      Objects.requireNonNull(sessionToken, "sessionToken");
      Objects.requireNonNull(principalArn, "principalArn");
      Objects.requireNonNull(sessionName, "sessionName");
      Objects.requireNonNull(expiration, "expiration");
    }

    /** The 12-digit account of the principal. */
    public String account() {
      return principalArn.split(":")[4];
    }
  }

  /** Where each served call is recorded, as the SDK request its caller made. */
  @FunctionalInterface
  public interface Recorder {
    void record(String principalArn, String service, String operation, SdkRequest request);
  }

  /** One AWS service's wire protocol. */
  @FunctionalInterface
  public interface Service {
    void handle(Session caller, HttpExchange exchange, byte[] body) throws IOException;
  }

  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([A-Z0-9]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request");

  private final HttpServer server;
  private final ExecutorService threads;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Service> services = new ConcurrentHashMap<>();

  private LocalAwsEndpoint(HttpServer server, ExecutorService threads, Clock clock) {
    this.server = server;
    this.threads = threads;
    this.clock = clock;
  }

  /**
   * Starts on a loopback port ({@code 0}: a free one). {@code clock} dates the sessions: the
   * callers are other processes, which compare expirations with the wall clock.
   */
  public static LocalAwsEndpoint start(int port, Clock clock) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      ExecutorService threads = Executors.newFixedThreadPool(4);
      LocalAwsEndpoint endpoint = new LocalAwsEndpoint(server, threads, clock);
      server.createContext("/", endpoint::dispatch);
      server.setExecutor(threads);
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new IllegalStateException("the local AWS endpoint could not start on port " + port, e);
    }
  }

  /** {@code http://127.0.0.1:PORT}: the value of every {@code AWS_ENDPOINT_URL_*} it serves. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves {@code signingName} (the credential scope's service: {@code sts}, {@code s3}, ...). */
  public LocalAwsEndpoint serve(String signingName, Service service) {
    services.put(signingName, service);
    return this;
  }

  /** New temporary credentials for {@code principalArn}, valid for {@code duration}. */
  public Session issue(String principalArn, String sessionName, Duration duration) {
    Session s =
        new Session(
            "ASIA" + HexFormat.of().withUpperCase().formatHex(bytes(8)),
            HexFormat.of().formatHex(bytes(20)),
            HexFormat.of().formatHex(bytes(32)),
            principalArn,
            sessionName,
            clock.instant().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    sessions.put(s.accessKeyId(), s);
    return s;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    // The exchange closes after the answer: a try-with-resources would close it before its catch
    // clauses could send one.
    try (exchange) {
      answer(exchange);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Optional<Matcher> scope = credentialScope(exchange);
      if (scope.isEmpty()) {
        error(
            exchange, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        return;
      }
      Session caller = sessions.get(scope.get().group(1));
      if (caller == null) {
        error(
            exchange,
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.");
        return;
      }
      String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
      if (token == null) {
        token = query(exchange.getRequestURI()).get("X-Amz-Security-Token");
      }
      if (!caller.sessionToken().equals(token)) {
        error(
            exchange,
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.");
        return;
      }
      if (!clock.instant().isBefore(caller.expiration())) {
        error(
            exchange, 403, "ExpiredToken", "The security token included in the request is expired");
        return;
      }
      Service service = services.get(scope.get().group(4));
      if (service == null) {
        error(
            exchange,
            400,
            "UnknownService",
            "the sandbox does not serve " + scope.get().group(4) + " on this endpoint");
        return;
      }
      service.handle(caller, exchange, body);
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      // An AWS error on the way (IAM's AccessDenied among them): the caller gets it as AWS sends
      // it, in its protocol's shape.
      boolean detailed = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null;
      error(
          exchange,
          e.statusCode() == 0 ? 400 : e.statusCode(),
          detailed ? e.awsErrorDetails().errorCode() : "InternalFailure",
          detailed ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // A service's own failure is the server's, as AWS reports an internal error.
      error(exchange, 500, "InternalFailure", String.valueOf(e.getMessage()));
    }
  }

  private static Optional<Matcher> credentialScope(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String credential =
        auth != null
            ? auth
            : "Credential=" + query(exchange.getRequestURI()).get("X-Amz-Credential");
    Matcher m = CREDENTIAL.matcher(credential);
    return m.find() ? Optional.of(m) : Optional.empty();
  }

  /** The decoded query parameters of {@code uri} (a parameter without a value maps to ""). */
  static Map<String, String> query(URI uri) {
    return FormEncoding.decode(uri.getRawQuery());
  }

  /**
   * An AWS error in the shape the caller's protocol reads, by the service it signed for: S3's REST
   * XML {@code <Error>}; JSON {@code {"__type", "message"}} for the JSON protocols (KMS, Step
   * Functions) and {@code {"Type", "message"}} with {@code x-amzn-ErrorType} for Lambda's
   * REST-JSON; the query protocol's {@code <ErrorResponse>} for STS and any other service.
   */
  static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String service = credentialScope(exchange).map(m -> m.group(4)).orElse("");
    switch (service) {
      case "kms" -> {
        KmsJsonProtocol.error(exchange, status, code, message);
        return;
      }
      case "states" -> {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
        send(
            exchange,
            status,
            "application/x-amz-json-1.0",
            ("{\"__type\":\""
                    + jsonEscape(code)
                    + "\",\"message\":\""
                    + jsonEscape(message)
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      case "lambda" -> {
        LambdaInvokeProtocol.error(exchange, status, code, message);
        return;
      }
      default -> {}
    }
    String error =
        "<Code>" + Xml.escape(code) + "</Code><Message>" + Xml.escape(message) + "</Message>";
    String xml =
        service.equals("s3")
            ? "<Error>" + error + "<RequestId>sandbox</RequestId></Error>"
            : "<ErrorResponse><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender")
                + "</Type>"
                + error
                + "</Error><RequestId>sandbox</RequestId></ErrorResponse>";
    send(
        exchange,
        status,
        "text/xml",
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml + "\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static String jsonEscape(String s) {
    return dev.cairn.core.json.Json.mapper()
        .getNodeFactory()
        .textNode(s)
        .toString()
        .replaceAll("^\"|\"$", "");
  }

  /**
   * {@code service} with every request answered under {@code lock}: the services that reach the
   * sandbox's world, which is single-threaded as each function's sandbox is.
   */
  public static Service underLock(java.util.concurrent.locks.Lock lock, Service service) {
    return (caller, exchange, body) -> {
      lock.lock();
      try {
        service.handle(caller, exchange, body);
      } finally {
        lock.unlock();
      }
    };
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-amzn-RequestId", "sandbox");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
