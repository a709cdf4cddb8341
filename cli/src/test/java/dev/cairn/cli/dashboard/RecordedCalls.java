package dev.cairn.cli.dashboard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Every AWS SDK call this test JVM makes, with the thread that made it: registered for all clients
 * through the SDK's global interceptor file (test resources
 * software/amazon/awssdk/global/handlers/execution.interceptors), so no client can bypass it.
 */
public final class RecordedCalls implements ExecutionInterceptor {

  /** One call: service, operation, thread. */
  public record Call(String service, String operation, String thread) {}

  static final List<Call> CALLS = new CopyOnWriteArrayList<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    CALLS.add(
        new Call(
            attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
            attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
            Thread.currentThread().getName()));
  }
}
