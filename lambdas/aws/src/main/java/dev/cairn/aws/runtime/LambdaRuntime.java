package dev.cairn.aws.runtime;

import dev.cairn.aws.client.AwsClients;
import dev.cairn.aws.client.ClientSource;
import dev.cairn.aws.client.SdkClientSource;
import dev.cairn.core.pipeline.PipelineServices;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a Lambda's INIT reads from the place it runs: the environment variables the function was
 * configured with, where SDK clients come from, the clock and how to wait. In Lambda: the process
 * environment, the default SDK chain, the system clock, {@link Thread#sleep}. The sandbox runs the
 * same public no-arg constructors inside {@link #initWith}, with the environment taken from the
 * synthesized {@code AWS::Lambda::Function} and clients that reach the local services.
 */
public record LambdaRuntime(
    Map<String, String> environment,
    ClientSource clients,
    Clock clock,
    PipelineServices.Sleeper sleeper) {

  private static final ThreadLocal<LambdaRuntime> INIT = new ThreadLocal<>();

  public LambdaRuntime {
    environment = Map.copyOf(environment);
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /** Lambda's own runtime: process environment, default SDK chain, system clock. */
  public static LambdaRuntime lambda() {
    return new LambdaRuntime(
        System.getenv(),
        new SdkClientSource(AwsClients.defaults()),
        Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()));
  }

  /** The runtime of the INIT in progress on this thread: a sandbox's, or Lambda's own. */
  public static LambdaRuntime current() {
    LambdaRuntime r = INIT.get();
    return r != null ? r : lambda();
  }

  /** Runs a handler's INIT (its public no-arg constructor) with {@code runtime}. */
  public static <T> T initWith(LambdaRuntime runtime, Supplier<T> init) {
    LambdaRuntime previous = INIT.get();
    INIT.set(runtime);
    try {
      return init.get();
    } finally {
      if (previous == null) {
        INIT.remove();
      } else {
        INIT.set(previous);
      }
    }
  }
}
