package dev.cairn.local.servers;

/**
 * Whether the local services' own log lines are printed: DynamoDB Local's banner, sqlite4java's
 * warnings, S3Proxy's and Jetty's SLF4J lines. By default they are not: they are no line a user
 * asked for. {@code cairn sandbox up --verbose} and {@code sandbox run --verbose} turn them on,
 * before the services start. The SLF4J side is the logging configuration's root level ({@code
 * logback-test.xml} reads {@value #LEVEL_PROPERTY}, default {@code WARN}).
 */
public final class LocalServicesLog {

  /** The system property the logging configuration's root level is read from. */
  public static final String LEVEL_PROPERTY = "cairn.local-services.log.level";

  private LocalServicesLog() {}

  /** From now on, the local services log at INFO; call it before anything logs. */
  public static void verbose() {
    System.setProperty(LEVEL_PROPERTY, "INFO");
  }

  /** Whether {@link #verbose()} was called (or the property set on the command line). */
  public static boolean isVerbose() {
    return "INFO".equalsIgnoreCase(System.getProperty(LEVEL_PROPERTY));
  }
}
