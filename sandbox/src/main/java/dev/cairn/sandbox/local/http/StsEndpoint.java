package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * STS {@code GetCallerIdentity} and {@code AssumeRole} over the query protocol (form-encoded {@code
 * Action=...&Version=2011-06-15}, XML answers, errors as {@code <ErrorResponse>} with status 403 or
 * 400), as the API reference shows. {@code AssumeRole} issues fresh credentials for a role the
 * templates create and registers them with {@link Callers}, so later calls signed with them act as
 * that role; any other role is {@code AccessDenied}.
 */
public final class StsEndpoint implements AutoCloseable {

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final HttpServer server;
  private final Callers callers;
  private final Set<String> roles;
  private final Clock clock;
  private final Map<String, String> sessionNames = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private StsEndpoint(int port, Callers callers, Set<String> roles, Clock clock)
      throws IOException {
    this.callers = callers;
    this.roles = Set.copyOf(roles);
    this.clock = clock;
    this.server = HttpExchanges.serve(port, this::handle);
  }

  /** Serves STS on loopback {@code port} (0: a free one); {@code roles} may be assumed. */
  public static StsEndpoint start(int port, Callers callers, Set<String> roles, Clock clock)
      throws IOException {
    return new StsEndpoint(port, callers, roles, clock);
  }

  public URI endpoint() {
    return HttpExchanges.endpoint(server);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = HttpExchanges.form(body);
    form.putAll(HttpExchanges.form(exchange.getRequestURI().getRawQuery()));
    String action = form.getOrDefault("Action", "");
    switch (action) {
      case "GetCallerIdentity" -> callerIdentity(exchange);
      case "AssumeRole" -> assumeRole(exchange, form);
      default ->
          error(exchange, 400, "Sender", "InvalidAction", "Could not find operation " + action);
    }
  }

  private void callerIdentity(HttpExchange exchange) throws IOException {
    String key = callers.accessKeyOf(exchange);
    String role = callers.of(exchange);
    String session =
        key == null ? "cairn-sandbox" : sessionNames.getOrDefault(key, "cairn-sandbox");
    String account = role.split(":")[4];
    String roleName = role.substring(role.lastIndexOf('/') + 1);
    ok(
        exchange,
        "GetCallerIdentity",
        "<Arn>"
            + xml("arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session)
            + "</Arn><UserId>"
            + xml(roleId(role) + ":" + session)
            + "</UserId><Account>"
            + account
            + "</Account>");
  }

  private void assumeRole(HttpExchange exchange, Map<String, String> form) throws IOException {
    String role = form.get("RoleArn");
    String session = form.get("RoleSessionName");
    if (role == null || session == null) {
      error(
          exchange,
          400,
          "Sender",
          "ValidationError",
          "1 validation error detected: RoleArn and RoleSessionName are required");
      return;
    }
    if (!roles.contains(role)) {
      error(
          exchange,
          403,
          "Sender",
          "AccessDenied",
          "User: "
              + callers.of(exchange)
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + role);
      return;
    }
    long seconds = Long.parseLong(form.getOrDefault("DurationSeconds", "3600"));
    String accessKey = "ASIA" + HexFormat.of().withUpperCase().formatHex(bytes(8));
    callers.issue(accessKey, role);
    sessionNames.put(accessKey, session);
    String account = role.split(":")[4];
    String roleName = role.substring(role.lastIndexOf('/') + 1);
    ok(
        exchange,
        "AssumeRole",
        "<Credentials><AccessKeyId>"
            + accessKey
            + "</AccessKeyId><SecretAccessKey>"
            + HexFormat.of().formatHex(bytes(20))
            + "</SecretAccessKey><SessionToken>"
            + HexFormat.of().formatHex(bytes(32))
            + "</SessionToken><Expiration>"
            + clock.instant().plus(Duration.ofSeconds(seconds)).truncatedTo(ChronoUnit.SECONDS)
            + "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>"
            + xml(roleId(role) + ":" + session)
            + "</AssumedRoleId><Arn>"
            + xml("arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + session)
            + "</Arn></AssumedRoleUser>");
  }

  /** A stable role id (AROA + 17 characters), as IAM gives every role one. */
  private static String roleId(String roleArn) {
    return "AROA"
        + UUID.nameUUIDFromBytes(roleArn.getBytes(StandardCharsets.UTF_8))
            .toString()
            .replace("-", "")
            .substring(0, 17)
            .toUpperCase(java.util.Locale.ROOT);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void ok(HttpExchange exchange, String action, String result) throws IOException {
    String doc =
        "<"
            + action
            + "Response xmlns=\""
            + NS
            + "\"><"
            + action
            + "Result>"
            + result
            + "</"
            + action
            + "Result><ResponseMetadata><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ResponseMetadata></"
            + action
            + "Response>";
    HttpExchanges.send(exchange, 200, "text/xml", doc.getBytes(StandardCharsets.UTF_8));
  }

  private static void error(
      HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    String doc =
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + xml(message)
            + "</Message></Error><RequestId>"
            + UUID.randomUUID()
            + "</RequestId></ErrorResponse>";
    HttpExchanges.send(exchange, status, "text/xml", doc.getBytes(StandardCharsets.UTF_8));
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
