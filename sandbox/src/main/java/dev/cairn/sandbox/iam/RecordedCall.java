package dev.cairn.sandbox.iam;

import java.util.Map;
import java.util.Objects;

/**
 * One AWS call as the sandbox records it.
 *
 * @param principalArn the caller, a role ARN {@code arn:aws:iam::ACCOUNT:role/NAME}
 * @param action {@code service:Action}, for example {@code dynamodb:PutItem} (a transaction is
 *     recorded per item: IAM has no {@code TransactWriteItems} action)
 * @param resourceArn the concrete ARN the call acted on ({@code *} only for actions without one)
 * @param context the condition keys the request itself carries, for example {@code
 *     s3:if-none-match}; the standard keys are added by {@link IamPolicies#request}
 */
public record RecordedCall(
    String principalArn, String action, String resourceArn, Map<String, String> context) {

  public RecordedCall {
    Objects.requireNonNull(principalArn, "principalArn");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resourceArn, "resourceArn");
    if (!principalArn.matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+")) {
      throw new IllegalArgumentException("principalArn must be a role ARN, got " + principalArn);
    }
    context = Map.copyOf(Objects.requireNonNull(context, "context"));
  }

  public RecordedCall(String principalArn, String action, String resourceArn) {
    this(principalArn, action, resourceArn, Map.of());
  }

  /** The account in the principal's ARN. */
  public String principalAccount() {
    return principalArn.split(":")[4];
  }
}
