package dev.cairn.asl;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registered stand-ins for Task resources. Lambda functions are registered by function name or ARN
 * and matched on the function name (qualifiers such as {@code :$LATEST} ignored), both for direct
 * Lambda ARN resources and for {@code arn:aws:states:::lambda:invoke}. Service integrations are
 * registered by resource ARN, e.g. {@code arn:aws:states:::sns:publish}; a registration without the
 * {@code .sync}/{@code .waitForTaskToken} suffix also serves those.
 */
public final class TaskHandlers {
  private final Map<String, TaskHandler> functions = new HashMap<>();
  private final Map<String, TaskHandler> services = new HashMap<>();

  /** Registers a Lambda function by name or ARN. */
  public TaskHandlers lambda(String functionNameOrArn, TaskHandler handler) {
    functions.put(functionName(functionNameOrArn), handler);
    return this;
  }

  /** Registers a service integration (or any other resource) by its resource ARN. */
  public TaskHandlers service(String resource, TaskHandler handler) {
    services.put(resource, handler);
    return this;
  }

  Optional<TaskHandler> forFunction(String functionNameOrArn) {
    return Optional.ofNullable(functions.get(functionName(functionNameOrArn)));
  }

  Optional<TaskHandler> forService(String resource) {
    TaskHandler h = services.get(resource);
    if (h == null) {
      String base = resource.replaceFirst("\\.(sync(:2)?|waitForTaskToken)$", "");
      h = services.get(base);
    }
    return Optional.ofNullable(h);
  }

  /** {@code arn:aws:lambda:r:a:function:name[:qualifier]}, {@code name[:qualifier]} -> name. */
  static String functionName(String ref) {
    String[] parts = ref.split(":");
    if (ref.startsWith("arn:") && parts.length >= 7) {
      return parts[6];
    }
    // partial ARN 123456789012:function:name or name:qualifier
    int fn = ref.indexOf("function:");
    if (fn >= 0) {
      String rest = ref.substring(fn + "function:".length());
      int colon = rest.indexOf(':');
      return colon < 0 ? rest : rest.substring(0, colon);
    }
    int colon = ref.indexOf(':');
    return colon < 0 ? ref : ref.substring(0, colon);
  }

  static boolean isLambdaArn(String resource) {
    return resource.startsWith("arn:aws:lambda:") || resource.matches("arn:[^:]+:lambda:.*");
  }
}
