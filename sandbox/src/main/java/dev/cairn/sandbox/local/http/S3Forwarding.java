package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketLocationRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * S3's REST API (path-style addressing), served by forwarding each request to the sandbox's S3Proxy
 * as the caller made it, after three things S3 itself does and S3Proxy does not:
 *
 * <ol>
 *   <li>the request is recorded as its caller's SDK call, so IAM decides it with every other call
 *       (the operations {@code cdk-assets publish}, {@code cairn context fetch} and {@code cairn
 *       publish} make; any other is refused with {@code NotImplemented}, never forwarded
 *       unrecorded);
 *   <li>{@code x-amz-expected-bucket-owner} is checked against the account that owns the bucket
 *       ({@code AccessDenied} otherwise);
 *   <li>an {@code aws-chunked} body is decoded and its trailing {@code x-amz-checksum-sha256} (or
 *       that header) checked against the bytes ({@code BadDigest} otherwise).
 * </ol>
 *
 * <p>S3Proxy authenticates one fixed identity, so the forwarded request is signed again with it.
 */
public final class S3Forwarding implements LocalAwsEndpoint.Service {

  /** Request headers that belong to the caller's signature or transfer, not to the S3 request. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "host",
          "authorization",
          "x-amz-date",
          "x-amz-content-sha256",
          "x-amz-security-token",
          "x-amz-decoded-content-length",
          "x-amz-trailer",
          "x-amz-sdk-checksum-algorithm",
          "content-length",
          "content-encoding",
          "transfer-encoding",
          "connection",
          "expect",
          "upgrade",
          "keep-alive",
          "amz-sdk-invocation-id",
          "amz-sdk-request",
          "user-agent",
          "x-amz-user-agent");

  private static final Set<String> NOT_RETURNED =
      Set.of("transfer-encoding", "content-length", "connection", "date", "server");

  private final URI s3Proxy;
  private final AwsCredentialsIdentity s3ProxyIdentity;
  private final String region;
  private final Function<String, Optional<String>> bucketOwner;
  private final LocalAwsEndpoint.Recorder recorder;
  private volatile java.util.function.BiConsumer<String, String> objectCreated = (b, k) -> {};
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * @param s3Proxy the S3Proxy endpoint
   * @param accessKey S3Proxy's identity
   * @param secretKey S3Proxy's credential
   * @param region the region requests are signed for
   * @param bucketOwner the account that owns a bucket, if the sandbox knows the bucket
   * @param recorder records each call as its caller's
   */
  public S3Forwarding(
      URI s3Proxy,
      String accessKey,
      String secretKey,
      String region,
      Function<String, Optional<String>> bucketOwner,
      LocalAwsEndpoint.Recorder recorder) {
    this.s3Proxy = s3Proxy;
    this.s3ProxyIdentity = AwsCredentialsIdentity.create(accessKey, secretKey);
    this.region = region;
    this.bucketOwner = bucketOwner;
    this.recorder = recorder;
  }

  /**
   * Sees each object a successful {@code PutObject} created (bucket, key): S3 raises its
   * EventBridge notifications from there.
   */
  public S3Forwarding onObjectCreated(java.util.function.BiConsumer<String, String> listener) {
    this.objectCreated = listener;
    return this;
  }

  /** One request in S3's terms. */
  record Operation(String name, SdkRequest request) {}

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] raw)
      throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, String> query =
        new java.util.LinkedHashMap<>(LocalAwsEndpoint.query(exchange.getRequestURI()));
    // The JavaScript SDK names the operation in x-id; it is no part of the S3 request.
    query.remove("x-id");
    String[] segments = rawPath.substring(1).split("/", 2);
    String bucket = decode(segments[0]);
    String key = segments.length > 1 ? decode(segments[1]) : "";
    if (bucket.isEmpty()) {
      LocalAwsEndpoint.error(exchange, 501, "NotImplemented", "ListBuckets is not served");
      return;
    }
    byte[] body;
    try {
      body = payload(exchange, raw);
    } catch (BadDigest e) {
      LocalAwsEndpoint.error(exchange, 400, "BadDigest", e.getMessage());
      return;
    }
    Optional<Operation> op = operation(method, bucket, key, query, exchange);
    if (op.isEmpty()) {
      LocalAwsEndpoint.error(
          exchange,
          501,
          "NotImplemented",
          "the sandbox does not serve " + method + " " + rawPath + " with " + query.keySet());
      return;
    }
    String expectedOwner = header(exchange, "x-amz-expected-bucket-owner");
    Optional<String> owner = bucketOwner.apply(bucket);
    if (expectedOwner != null && owner.isPresent() && !owner.get().equals(expectedOwner)) {
      LocalAwsEndpoint.error(exchange, 403, "AccessDenied", "Access Denied");
      return;
    }
    recorder.record(caller.principalArn(), "S3", op.get().name(), op.get().request());
    int status = forward(exchange, method, body);
    if (status / 100 == 2 && op.get().name().equals("PutObject")) {
      objectCreated.accept(bucket, key);
    }
  }

  private Optional<Operation> operation(
      String method, String bucket, String key, Map<String, String> query, HttpExchange exchange) {
    String versionId = query.get("versionId");
    if (key.isEmpty()) {
      if (method.equals("GET") && query.containsKey("location")) {
        return op("GetBucketLocation", GetBucketLocationRequest.builder().bucket(bucket).build());
      }
      if (method.equals("GET") && query.containsKey("encryption")) {
        return op(
            "GetBucketEncryption", GetBucketEncryptionRequest.builder().bucket(bucket).build());
      }
      if (method.equals("GET") && "2".equals(query.get("list-type"))) {
        ListObjectsV2Request.Builder r =
            ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(query.get("prefix"))
                .delimiter(query.get("delimiter"));
        if (query.containsKey("max-keys")) {
          r.maxKeys(Integer.parseInt(query.get("max-keys")));
        }
        return op("ListObjectsV2", r.build());
      }
      if (method.equals("HEAD") && query.isEmpty()) {
        return op("HeadBucket", HeadBucketRequest.builder().bucket(bucket).build());
      }
      return Optional.empty();
    }
    if (method.equals("GET") && (query.isEmpty() || query.keySet().equals(Set.of("versionId")))) {
      return op(
          "GetObject",
          GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build());
    }
    if (method.equals("HEAD") && (query.isEmpty() || query.keySet().equals(Set.of("versionId")))) {
      return op(
          "HeadObject",
          HeadObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build());
    }
    if (method.equals("PUT") && query.isEmpty() && header(exchange, "x-amz-copy-source") == null) {
      return op(
          "PutObject",
          PutObjectRequest.builder()
              .bucket(bucket)
              .key(key)
              .acl(header(exchange, "x-amz-acl"))
              .serverSideEncryption(header(exchange, "x-amz-server-side-encryption"))
              .ssekmsKeyId(header(exchange, "x-amz-server-side-encryption-aws-kms-key-id"))
              .storageClass(header(exchange, "x-amz-storage-class"))
              .objectLockMode(header(exchange, "x-amz-object-lock-mode"))
              .objectLockLegalHoldStatus(header(exchange, "x-amz-object-lock-legal-hold"))
              .ifNoneMatch(header(exchange, "If-None-Match"))
              .ifMatch(header(exchange, "If-Match"))
              .build());
    }
    return Optional.empty();
  }

  private static Optional<Operation> op(String name, SdkRequest request) {
    return Optional.of(new Operation(name, request));
  }

  /** The object bytes: an aws-chunked body decoded, and its SHA-256 checksum checked. */
  private static byte[] payload(HttpExchange exchange, byte[] raw) throws BadDigest {
    String contentSha = header(exchange, "x-amz-content-sha256");
    String encoding = header(exchange, "Content-Encoding");
    boolean chunked =
        (contentSha != null && contentSha.startsWith("STREAMING-"))
            || (encoding != null && encoding.contains("aws-chunked"));
    String checksum = header(exchange, "x-amz-checksum-sha256");
    byte[] body = raw;
    if (chunked) {
      AwsChunked decoded = AwsChunked.decode(raw);
      body = decoded.data();
      checksum = decoded.trailers().getOrDefault("x-amz-checksum-sha256", checksum);
    }
    if (checksum != null) {
      String actual = Base64.getEncoder().encodeToString(sha256(body));
      if (!actual.equals(checksum)) {
        throw new BadDigest(
            "The SHA256 you specified did not match the calculated checksum (" + actual + ").");
      }
    }
    return body;
  }

  /** Forwards the request and copies the response back; returns its status. */
  private int forward(HttpExchange exchange, String method, byte[] body) throws IOException {
    URI target = s3Proxy.resolve(exchange.getRequestURI().getRawPath());
    String rawQuery = exchange.getRequestURI().getRawQuery();
    SdkHttpRequest.Builder unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(method))
            .protocol(target.getScheme())
            .host(target.getHost())
            .port(target.getPort())
            .encodedPath(target.getRawPath());
    if (rawQuery != null) {
      LocalAwsEndpoint.query(exchange.getRequestURI()).forEach(unsigned::putRawQueryParameter);
    }
    for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED.contains(name)) {
        unsigned.putHeader(name, h.getValue());
      }
    }
    if (body.length > 0 || method.equals("PUT") || method.equals("POST")) {
      unsigned.putHeader("Content-Length", Integer.toString(body.length));
    }
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(s3ProxyIdentity)
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(signed.request().getUri())
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .forEachHeader(
            (name, values) -> {
              String n = name.toLowerCase(Locale.ROOT);
              if (!n.equals("host") && !n.equals("content-length")) {
                values.forEach(v -> request.header(name, v));
              }
            });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding to S3Proxy", e);
    }
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
              }
            });
    byte[] out = response.body();
    if (method.equals("HEAD")) {
      response
          .headers()
          .firstValue("Content-Length")
          .ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
      exchange.sendResponseHeaders(response.statusCode(), -1);
      return response.statusCode();
    }
    exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    }
    return response.statusCode();
  }

  private static String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A body whose checksum does not match its bytes. */
  static final class BadDigest extends Exception {
    BadDigest(String message) {
      super(message);
    }
  }

  /** An {@code aws-chunked} body: {@code SIZE[;chunk-signature=...]\r\nDATA\r\n}... trailers. */
  record AwsChunked(byte[] data, Map<String, String> trailers) {

    static AwsChunked decode(byte[] raw) throws BadDigest {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      Map<String, String> trailers = new java.util.LinkedHashMap<>();
      int i = 0;
      while (true) {
        int eol = indexOfCrlf(raw, i);
        if (eol < 0) {
          throw new BadDigest("the aws-chunked body ends inside a chunk header");
        }
        String sizeLine = new String(raw, i, eol - i, StandardCharsets.US_ASCII);
        int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        i = eol + 2;
        if (size == 0) {
          break;
        }
        if (i + size > raw.length) {
          throw new BadDigest("the aws-chunked body is shorter than its chunk sizes");
        }
        data.write(raw, i, size);
        i += size + 2;
      }
      for (String line :
          new String(raw, i, raw.length - i, StandardCharsets.US_ASCII).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          trailers.put(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
      }
      return new AwsChunked(data.toByteArray(), Map.copyOf(trailers));
    }

    private static int indexOfCrlf(byte[] b, int from) {
      for (int j = from; j + 1 < b.length; j++) {
        if (b[j] == '\r' && b[j + 1] == '\n') {
          return j;
        }
      }
      return -1;
    }
  }
}
