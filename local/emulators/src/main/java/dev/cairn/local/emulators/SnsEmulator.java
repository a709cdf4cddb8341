package dev.cairn.local.emulators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * An honest SNS {@code Publish}: records TopicArn, Subject, Message and MessageAttributes and
 * returns a MessageId. With a topic allowlist, an unknown topic gives {@code NotFoundException}
 * (code {@code NotFound}, 404, "Topic does not exist"). An empty message or one over 256 KB gives
 * {@code InvalidParameterException} (code {@code InvalidParameter}, 400).
 */
public final class SnsEmulator implements SnsClient {

  /** One published message. */
  public record Published(
      String messageId,
      String topicArn,
      String subject,
      String message,
      Map<String, String> attributes) {}

  private static final int MAX_MESSAGE = 256 * 1024;

  private final Set<String> topics;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final List<Published> published = new ArrayList<>();

  /** Accepts any topic ARN. */
  public SnsEmulator() {
    this.topics = null;
  }

  /** Accepts only these topic ARNs. */
  public SnsEmulator(Set<String> topicArns) {
    this.topics = Set.copyOf(topicArns);
  }

  public synchronized List<Published> published() {
    return List.copyOf(published);
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(String operation, int times, Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized PublishResponse publish(PublishRequest request) {
    calls.record("Publish", request);
    if (request.topicArn() == null) {
      throw new UnsupportedOperationException("SnsEmulator publishes to TopicArn only");
    }
    if (topics != null && !topics.contains(request.topicArn())) {
      throw AwsErrors.error(
          NotFoundException.builder(), "Sns", "NotFound", 404, "Topic does not exist");
    }
    if (request.message() == null || request.message().isEmpty()) {
      throw invalid("Invalid parameter: Empty message");
    }
    if (request.message().getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE) {
      throw invalid("Invalid parameter: Message too long");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, MessageAttributeValue> e : request.messageAttributes().entrySet()) {
      attributes.put(e.getKey(), e.getValue().stringValue());
    }
    String id = UUID.randomUUID().toString();
    published.add(
        new Published(
            id, request.topicArn(), request.subject(), request.message(), Map.copyOf(attributes)));
    return PublishResponse.builder().messageId(id).build();
  }

  private static InvalidParameterException invalid(String message) {
    return AwsErrors.error(
        InvalidParameterException.builder(), "Sns", "InvalidParameter", 400, message);
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
