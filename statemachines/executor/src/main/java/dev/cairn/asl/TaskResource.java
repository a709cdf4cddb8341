package dev.cairn.asl;

/**
 * A Task's Resource, split once the way Step Functions records it in {@code TaskScheduled}: {@code
 * type} is {@code lambda}, a service integration such as {@code events}, or {@code activity};
 * {@code name} is the rest. {@code lambdaArn} marks a function ARN used as the resource itself;
 * {@code lambdaInvoke} marks {@code arn:aws:states:::lambda:invoke} (optionally {@code
 * .waitForTaskToken}), whose Payload goes to the function and whose result is wrapped as the Lambda
 * API returns it.
 */
record TaskResource(String arn, String type, String name, boolean lambdaArn, boolean lambdaInvoke) {
  private static final String SERVICE_PREFIX = "arn:aws:states:::";

  static TaskResource of(String arn) {
    boolean lambdaInvoke = arn.matches("arn:aws:states:::lambda:invoke(\\.waitForTaskToken)?");
    if (TaskHandlers.isLambdaArn(arn)) {
      return new TaskResource(arn, "lambda", arn, true, lambdaInvoke);
    }
    if (arn.startsWith(SERVICE_PREFIX)) {
      String rest = arn.substring(SERVICE_PREFIX.length());
      int colon = rest.indexOf(':');
      return colon < 0
          ? new TaskResource(arn, rest, rest, false, lambdaInvoke)
          : new TaskResource(
              arn, rest.substring(0, colon), rest.substring(colon + 1), false, lambdaInvoke);
    }
    return new TaskResource(arn, "activity", arn, false, lambdaInvoke);
  }
}
