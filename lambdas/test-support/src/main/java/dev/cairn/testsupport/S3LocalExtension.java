package dev.cairn.testsupport;

import dev.cairn.local.servers.LocalBuckets;
import dev.cairn.local.servers.LocalS3;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts the JVM-wide S3Proxy (once) and creates, per test class, versioned buckets with unique
 * names. Injects {@link S3Client}, {@link LocalBuckets} and {@link LocalS3}.
 */
public final class S3LocalExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(S3LocalExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    buckets(context);
  }

  private static LocalBuckets buckets(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(NS)
        .getOrComputeIfAbsent(
            "buckets",
            k -> {
              String suffix = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
              LocalBuckets b =
                  new LocalBuckets(
                      "cdk-artifacts-candidate-" + suffix,
                      "cdk-artifacts-release-" + suffix,
                      "cdk-contexts-" + suffix,
                      "audit-log-anchors-" + suffix);
              S3Client s3 = client(context);
              for (String bucket :
                  new String[] {b.candidate(), b.release(), b.contexts(), b.auditAnchors()}) {
                LocalS3.createVersionedBucket(s3, bucket);
              }
              return b;
            },
            LocalBuckets.class);
  }

  private static S3Client client(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("client", k -> LocalS3.shared().client(), S3Client.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == S3Client.class || type == LocalBuckets.class || type == LocalS3.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    if (type == S3Client.class) {
      return client(e);
    }
    if (type == LocalS3.class) {
      return LocalS3.shared();
    }
    return buckets(e);
  }
}
