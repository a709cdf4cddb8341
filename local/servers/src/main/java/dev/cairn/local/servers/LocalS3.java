package dev.cairn.local.servers;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * S3Proxy in-process with the {@code transient-nio2} provider (in memory, versioning supported,
 * {@code If-None-Match: *} honoured) on a loopback port. Authentication is AWS v2/v4 with the fixed
 * credentials {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 */
public final class LocalS3 implements AutoCloseable {

  public static final String ACCESS_KEY = "cairnlocal";
  public static final String SECRET_KEY = "cairnlocal";

  private static LocalS3 shared;

  private final S3Proxy proxy;
  private final URI endpoint;

  private LocalS3(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** The JVM-wide server, started lazily and stopped by a shutdown hook. */
  public static synchronized LocalS3 shared() {
    if (shared == null) {
      shared = start(0);
      LocalS3 s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3proxy-stop"));
    }
    return shared;
  }

  /** Starts a server on {@code port} (0: a free one). */
  public static LocalS3 start(int port) {
    // S3Proxy (Jetty) drops idle kept-alive connections; the JDK's HttpURLConnection, under the
    // SDK's url-connection client, then loses a response after the server already acted (a retried
    // If-None-Match PUT sees its own object: 412) or fails mid-body. Every JVM that runs the local
    // server (tests, sandbox) opens a fresh connection per request instead.
    System.setProperty("http.keepAlive", "false");
    int p = port == 0 ? LocalPorts.free() : port;
    Properties props = new Properties();
    props.setProperty("jclouds.identity", ACCESS_KEY);
    props.setProperty("jclouds.credential", SECRET_KEY);
    BlobStore store = BlobStores.create("transient-nio2", props);
    URI endpoint = URI.create("http://127.0.0.1:" + p);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true)
            .stopTimeout(100)
            .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy state " + proxy.getState());
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start on port " + p, e);
    }
    return new LocalS3(proxy, endpoint);
  }

  /**
   * A server another process runs at {@code endpoint} ({@code cairn sandbox up}'s, for {@code
   * sandbox run --reuse}): clients reach it with the same credentials; closing leaves it running.
   */
  public static LocalS3 attach(URI endpoint) {
    System.setProperty("http.keepAlive", "false");
    return new LocalS3(null, endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A path-style client for this server. */
  public S3Client client(
      software.amazon.awssdk.core.interceptor.ExecutionInterceptor... interceptors) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        // The SDK's Apache client, not url-connection: with S3Proxy (Jetty), HttpURLConnection
        // intermittently fails the first PUT mid-body after the server stored it, and the retry
        // then meets its own object (412). Production clients keep url-connection (AwsClients).
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
        .overrideConfiguration(
            o -> {
              // Without Expect: 100-continue, as every S3 client Cairn builds (cairn-aws's
              // NoExpectContinueInterceptor, which this module cannot depend on: cairn-aws's own
              // tests start these servers).
              o.addExecutionInterceptor(
                  new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                    @Override
                    public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                        software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                      return context.httpRequest().toBuilder().removeHeader("Expect").build();
                    }
                  });
              java.util.Arrays.stream(interceptors).forEach(o::addExecutionInterceptor);
            })
        .build();
  }

  /** Creates {@code bucket} (if absent) with versioning enabled. */
  public static void createVersionedBucket(S3Client s3, String bucket) {
    try {
      s3.createBucket(r -> r.bucket(bucket));
    } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
        | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
      // already there
    }
    s3.putBucketVersioning(
        r ->
            r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  @Override
  public void close() {
    if (proxy == null) {
      return; // attached: the server is another process's
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      // Stopping at JVM exit: nothing left to protect.
    }
  }
}
