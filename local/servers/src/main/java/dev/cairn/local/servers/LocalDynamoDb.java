package dev.cairn.local.servers;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}), in-process and in-memory, on a loopback
 * port. {@link #shared()} gives one server per JVM, started on first use and stopped by a shutdown
 * hook; {@link #start(int)} gives a dedicated one (the sandbox).
 *
 * <p>Both run with {@code -sharedDb}: without it DynamoDB Local keeps one database per access key
 * and region, and a user whose shell holds other credentials than the sandbox's sees no tables.
 */
public final class LocalDynamoDb implements AutoCloseable {

  private static LocalDynamoDb shared;

  /** sqlite4java logs through java.util.logging; held strongly so the level sticks. */
  private static final java.util.logging.Logger SQLITE_LOG =
      java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  static {
    SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private final DynamoDBProxyServer server;
  private final URI endpoint;

  private LocalDynamoDb(DynamoDBProxyServer server, int port) {
    this(server, URI.create("http://127.0.0.1:" + port));
  }

  private LocalDynamoDb(DynamoDBProxyServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** The JVM-wide server, started lazily. */
  public static synchronized LocalDynamoDb shared() {
    if (shared == null) {
      shared = start(0);
      LocalDynamoDb s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "dynamodb-local-stop"));
    }
    return shared;
  }

  /** Starts a server on {@code port} (0: a free one). */
  public static LocalDynamoDb start(int port) {
    // As in LocalS3.start: the JDK reads http.keepAlive once, at the first HTTP connection, and
    // either local server may be the first one a JVM talks to.
    System.setProperty("http.keepAlive", "false");
    int p = port == 0 ? LocalPorts.free() : port;
    // DynamoDB Local prints its start-up banner on stdout; keep stdout for the caller's output
    // (`cairn sandbox up` prints export lines there).
    // Its banner is no line a user asked for: it goes nowhere: a user sees only lines Cairn writes.
    java.io.PrintStream stdout = System.out;
    boolean verbose = LocalServicesLog.isVerbose();
    if (!verbose) {
      System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    }
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {
                "-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(p)
              });
      server.start();
      // Again after start: DynamoDB Local resets java.util.logging while it starts.
      SQLITE_LOG.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.SEVERE);
      return new LocalDynamoDb(server, p);
    } catch (Exception e) {
      throw new IllegalStateException("DynamoDB Local did not start on port " + p, e);
    } finally {
      System.setOut(stdout);
    }
  }

  /**
   * A server another process runs at {@code endpoint} ({@code cairn sandbox up}'s, for {@code
   * sandbox run --reuse}): clients reach it with the same credentials; closing leaves it running.
   */
  public static LocalDynamoDb attach(URI endpoint) {
    System.setProperty("http.keepAlive", "false");
    return new LocalDynamoDb(null, endpoint);
  }

  /** True for a server another process runs ({@link #attach}). */
  public boolean attached() {
    return server == null;
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client for this server (dummy credentials, us-east-1, url-connection client). */
  public DynamoDbClient client(
      software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
    return DynamoDbClient.builder()
        .overrideConfiguration(
            o -> java.util.Arrays.stream(interceptors).forEach(o::addExecutionInterceptor))
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** Creates the shared table definition {@code name} under {@code physicalName}. */
  public void createTable(DynamoDbClient client, String name, String physicalName) {
    LocalTableDefinitions.create(client, name, physicalName);
  }

  @Override
  public void close() {
    if (server == null) {
      return; // attached: the server is another process's
    }
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping at JVM exit: nothing left to protect.
    }
  }
}
