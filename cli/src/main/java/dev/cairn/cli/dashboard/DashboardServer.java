package dev.cairn.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The dashboard's HTTP side: the page and its assets from the jar, and JSON under {@code /api/}, on
 * loopback only. GET and HEAD only; a request whose {@code Host} is not this loopback address is
 * refused, so a web page the operator visits cannot read the ledger through DNS rebinding.
 */
final class DashboardServer implements AutoCloseable {

  /** Where the built front-end lies in the jar (cli/src/main/frontend, built by npm). */
  static final String WEB_ROOT = "dev/cairn/cli/dashboard/web/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json");

  private final HttpServer server;

  private DashboardServer(HttpServer server) {
    this.server = server;
  }

  static DashboardServer start(int port, DashboardData data) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    DashboardServer s = new DashboardServer(server);
    Map<String, Function<DashboardData, JsonNode>> api =
        Map.of(
            "/api/overview", DashboardData::overview,
            "/api/artifacts", DashboardData::artifacts,
            "/api/audit", d -> d.chain().verification(),
            "/api/timelines", d -> DashboardData.timelines(d.chain().entries()),
            "/api/interventions", d -> DashboardData.interventions(d.chain().entries()),
            "/api/kpis", d -> d.kpis(d.chain().entries()));
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            s.handle(exchange, api, data);
          }
        });
    // One request at a time: each reads the whole ledger and chain; no need to do two at once.
    server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r)));
    server.start();
    return s;
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "cairn-dashboard");
    t.setDaemon(true);
    return t;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(
      HttpExchange exchange, Map<String, Function<DashboardData, JsonNode>> api, DashboardData data)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().add("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n");
      return;
    }
    String host = exchange.getRequestHeaders().getFirst("Host");
    int port = server.getAddress().getPort();
    if (host == null || !Set.of("127.0.0.1:" + port, "localhost:" + port).contains(host)) {
      send(exchange, 403, "text/plain; charset=utf-8", "unexpected Host header\n");
      return;
    }
    String path = exchange.getRequestURI().getPath();
    Function<DashboardData, JsonNode> endpoint = api.get(path);
    if (endpoint != null) {
      try {
        send(exchange, 200, TYPES.get("json"), Json.pretty(endpoint.apply(data)));
      } catch (RuntimeException e) {
        ObjectNode error = Json.object();
        error.put("error", e.getClass().getSimpleName());
        error.put("message", String.valueOf(e.getMessage()));
        send(exchange, 502, TYPES.get("json"), Json.pretty(error));
      }
      return;
    }
    String file = path.equals("/") ? "index.html" : path.substring(1);
    if (file.contains("..") || file.contains("//")) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    try (InputStream in =
        DashboardServer.class.getClassLoader().getResourceAsStream(WEB_ROOT + file)) {
      if (in == null) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
        return;
      }
      String ext = file.substring(file.lastIndexOf('.') + 1);
      send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    // The page loads nothing from elsewhere: no CDN, no internet.
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
