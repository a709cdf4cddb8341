package dev.cairn.aws.client;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops {@code Expect: 100-continue} from S3 PUTs. With {@code UrlConnectionHttpClient} on SDK
 * 2.37+ the 100-continue handshake intermittently fails with "Unexpected end of file from server"
 * (aws/aws-sdk-java-v2#6670) against S3 and S3Proxy; Cairn uploads are small objects, so sending
 * the body at once costs nothing. Every S3 client Cairn builds installs it.
 */
public final class NoExpectContinueInterceptor implements ExecutionInterceptor {

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
    return context.httpRequest().toBuilder().removeHeader("Expect").build();
  }
}
