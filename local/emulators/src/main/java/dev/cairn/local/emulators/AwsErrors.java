package dev.cairn.local.emulators;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Builds service exceptions the way the SDK unmarshals them: error code, message, HTTP status. */
final class AwsErrors {

  private AwsErrors() {}

  @SuppressWarnings("unchecked")
  static <T extends AwsServiceException> T error(
      AwsServiceException.Builder builder,
      String serviceName,
      String errorCode,
      int statusCode,
      String message) {
    return (T)
        builder
            .message(message)
            .statusCode(statusCode)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode(errorCode)
                    .errorMessage(message)
                    .serviceName(serviceName)
                    .sdkHttpResponse(
                        software.amazon.awssdk.http.SdkHttpResponse.builder()
                            .statusCode(statusCode)
                            .build())
                    .build())
            .build();
  }
}
