package dev.cairn.sandbox;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.asl.TaskFailure;
import dev.cairn.aws.runtime.LambdaRuntime;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One synthesized {@code AWS::Lambda::Function}, initialised as Lambda does: its {@code Handler}
 * class through the public no-arg constructor, inside {@link LambdaRuntime#initWith} with the
 * function's environment. An invocation that runs past the function's {@code Timeout} (on the
 * virtual clock) fails as Step Functions reports a Lambda timeout: {@code Lambda.Unknown}.
 */
record LambdaFunction(
    ControlPlaneAssembly.FunctionSpec spec, RequestStreamHandler handler, Clock clock) {

  static LambdaFunction init(ControlPlaneAssembly.FunctionSpec spec, LambdaRuntime runtime) {
    RequestStreamHandler handler =
        LambdaRuntime.initWith(
            runtime,
            () -> {
              try {
                Class<?> type = Class.forName(spec.handlerClass());
                return (RequestStreamHandler) type.getConstructor().newInstance();
              } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException(
                    spec.functionName() + ": INIT of " + spec.handlerClass() + " failed: " + cause,
                    cause);
              }
            });
    return new LambdaFunction(spec, handler, runtime.clock());
  }

  /** Invokes the handler with {@code payload}; the function's timeout is enforced. */
  JsonNode invoke(JsonNode payload) throws IOException {
    Instant start = clock.instant();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(Json.compact(payload).getBytes(StandardCharsets.UTF_8)),
        out,
        null);
    Duration took = Duration.between(start, clock.instant());
    if (took.compareTo(Duration.ofSeconds(spec.timeoutSeconds())) > 0) {
      throw new TaskFailure(
          "Lambda.Unknown",
          spec.functionName()
              + ": Task timed out after "
              + spec.timeoutSeconds()
              + ".00 seconds (the invocation needed "
              + took.toSeconds()
              + " s; Timeout in "
              + spec.stackName()
              + "/"
              + spec.logicalId()
              + ")");
    }
    byte[] bytes = out.toByteArray();
    return bytes.length == 0 ? Json.object() : Json.parse(bytes);
  }
}
