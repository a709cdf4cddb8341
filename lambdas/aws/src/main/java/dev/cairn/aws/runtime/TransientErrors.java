package dev.cairn.aws.runtime;

import dev.cairn.core.pipeline.TransientError;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps the AWS SDK's transient failures (throttling, 5xx, network) to {@link TransientError}, the
 * one name the state machine's {@code Retry} handles. Everything else propagates unchanged and
 * reaches the phase's {@code Catch}.
 */
public final class TransientErrors {

  private TransientErrors() {}

  public static <T> T translate(Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkClientException e) {
      throw new TransientError("AWS SDK client error: " + e.getMessage(), e);
    } catch (AwsServiceException e) {
      if (e.isThrottlingException() || e.statusCode() >= 500 || e.retryable()) {
        throw new TransientError(
            e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().serviceName()
                    + " "
                    + e.awsErrorDetails().errorCode()
                    + ": "
                    + e.awsErrorDetails().errorMessage(),
            e);
      }
      throw e;
    }
  }
}
