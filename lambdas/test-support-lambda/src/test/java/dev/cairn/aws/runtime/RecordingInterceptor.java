package dev.cairn.aws.runtime;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A global SDK interceptor (registered in {@code software/amazon/awssdk/global/handlers}): it sees
 * every call of every SDK client in this test JVM, whoever built the client, so a test can tell
 * what reached a transport while it recorded. Off unless a test turns it on.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {

  /** One SDK call as it was sent and answered. */
  public record Call(
      String service, String operation, String host, String authorization, boolean canned) {}

  private static final List<Call> CALLS = new ArrayList<>();
  private static volatile boolean recording;

  /** Forgets what was recorded and records from now on. */
  public static synchronized void start() {
    CALLS.clear();
    recording = true;
  }

  /** Stops recording; returns what was recorded. */
  public static synchronized List<Call> stop() {
    recording = false;
    return List.copyOf(CALLS);
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    if (!recording) {
      return;
    }
    synchronized (RecordingInterceptor.class) {
      CALLS.add(
          new Call(
              attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
              attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
              context.httpRequest().host(),
              context.httpRequest().firstMatchingHeader("Authorization").orElse(""),
              context
                  .httpResponse()
                  .firstMatchingHeader(Priming.PRIMING_RESPONSE_HEADER)
                  .isPresent()));
    }
  }
}
