package dev.cairn.sandbox;

import dev.cairn.sandbox.iam.RecordedCall;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Every AWS call made in the sandbox, with the principal that made it: the SDK calls to DynamoDB
 * Local and S3Proxy through an {@link ExecutionInterceptor}, the calls to the emulators through a
 * proxy on the client interface. The IAM check turns each into {@code (principal, action, resource,
 * context)} and asks the policies.
 *
 * <p>Calls no SDK request stands for, such as those CloudFormation's resource handlers make with
 * the execution role, are recorded already mapped ({@link #recordIam}): building SDK requests for
 * them only to map them back would add a mapping per handler call for nothing.
 */
public final class CallLog {

  /** One call: who, which service (SDK service name), which operation, with which request. */
  public record Call(String principalArn, String service, String operation, SdkRequest request) {}

  /**
   * Decides each call as it is recorded, before it is made (the live sandbox): a call it refuses
   * throws the AWS error the caller would get, so the call is never made.
   */
  public interface Gate {
    void check(Call call);

    void check(RecordedCall call);
  }

  private final List<Call> calls = new ArrayList<>();
  private final List<RecordedCall> iamCalls = new ArrayList<>();
  private volatile Gate gate;

  /** From now on, {@code gate} decides every call recorded here before it is made. */
  public void gate(Gate gate) {
    this.gate = gate;
  }

  public void record(Call call) {
    synchronized (this) {
      calls.add(call);
    }
    Gate g = gate;
    if (g != null) {
      g.check(call);
    }
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Records a call already in IAM's terms (principal, action, resource, context). */
  public void recordIam(RecordedCall call) {
    synchronized (this) {
      iamCalls.add(call);
    }
    Gate g = gate;
    if (g != null) {
      g.check(call);
    }
  }

  /** The calls recorded with {@link #recordIam}, in order. */
  public synchronized List<RecordedCall> iamCalls() {
    return List.copyOf(iamCalls);
  }

  /** Records every request an SDK client sends, as {@code principalArn}. */
  public ExecutionInterceptor interceptor(String principalArn) {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        record(
            new Call(
                principalArn,
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                context.request()));
      }
    };
  }

  /**
   * {@code client} (an emulator) behind its SDK interface, recording each call as {@code
   * principalArn}; the operation is the method name in the API's spelling ({@code createChangeSet}
   * → {@code CreateChangeSet}).
   */
  public <C> C recording(Class<C> type, C client, String service, String principalArn) {
    InvocationHandler h =
        (proxy, method, args) -> {
          boolean operation =
              args != null
                  && args.length == 1
                  && args[0] instanceof SdkRequest
                  && !method.getName().endsWith("Paginator");
          if (operation) {
            SdkRequest r = (SdkRequest) args[0];
            String m = method.getName();
            record(
                new Call(
                    principalArn,
                    service,
                    m.substring(0, 1).toUpperCase(Locale.ROOT) + m.substring(1),
                    r));
          } else if (method.isDefault()) {
            // The Consumer<Builder> overloads and the paginators build the request and call the
            // operation above on the proxy, so each call is recorded once, with its request.
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }
}
