package dev.cairn.local.emulators;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * An honest Parameter Store for one account and region: {@code GetParameter}/{@code PutParameter}
 * with versions starting at 1 and incrementing on each overwrite, {@code ParameterNotFound} (400)
 * for a missing name and {@code ParameterAlreadyExists} (400) unless {@code Overwrite=true}. Used
 * for {@code /cdk-bootstrap/<qualifier>/version} and the break-glass flag. {@code WithDecryption}
 * is accepted and SecureString values are returned as stored (no KMS).
 *
 * <p>Like Parameter Store, every successful {@code PutParameter} raises a {@code Parameter Store
 * Change} event ({@code operation} {@code Create} for a new name, {@code Update} for an overwrite)
 * to the {@link ChangeListener}s: the sandbox puts it on its EventBridge. {@link #seed} is the
 * test's back door and raises nothing.
 */
public final class SsmEmulator implements SsmClient {

  private static final int MAX_STANDARD_VALUE = 4096;

  private final String account;
  private final String region;
  private final Clock clock;
  private final EmulatorCalls calls = new EmulatorCalls();
  private final Map<String, Parameter> parameters = new HashMap<>();
  private final List<ChangeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * What SSM tells EventBridge after a change: the {@code detail} of a {@code Parameter Store
   * Change} event ({@code operation}, {@code name}, {@code type}, {@code description}) and the
   * parameter's ARN for {@code resources}. The value is never in the event.
   */
  @FunctionalInterface
  public interface ChangeListener {
    void changed(String operation, Parameter parameter, String description);
  }

  /** Registers {@code listener} for every later change. */
  public void onChange(ChangeListener listener) {
    listeners.add(listener);
  }

  public SsmEmulator(String account, String region, Clock clock) {
    this.account = account;
    this.region = region;
    this.clock = clock;
  }

  /** Seeds (or overwrites) a String parameter without recording a request. */
  public synchronized void seed(String name, String value) {
    store(name, value, ParameterType.STRING, true);
  }

  /** The stored value, without recording a request. */
  public synchronized Optional<String> value(String name) {
    Parameter p = parameters.get(name);
    return p == null ? Optional.empty() : Optional.of(p.value());
  }

  public List<SdkRequest> requests() {
    return calls.requests();
  }

  public <T extends SdkRequest> List<T> requests(Class<T> type) {
    return calls.requests(type);
  }

  public Map<String, Integer> callCounts() {
    return calls.callCounts();
  }

  public void failNextCalls(
      String operation, int times, java.util.function.Supplier<? extends RuntimeException> f) {
    calls.failNext(operation, times, f);
  }

  @Override
  public synchronized GetParameterResponse getParameter(GetParameterRequest request) {
    calls.record("GetParameter", request);
    Parameter p = request.name() == null ? null : parameters.get(request.name());
    if (p == null) {
      // The service returns ParameterNotFound with an empty message.
      throw AwsErrors.error(
          ParameterNotFoundException.builder(), "Ssm", "ParameterNotFound", 400, null);
    }
    return GetParameterResponse.builder().parameter(p).build();
  }

  @Override
  public synchronized PutParameterResponse putParameter(PutParameterRequest request) {
    calls.record("PutParameter", request);
    if (request.name() == null || request.value() == null) {
      throw AwsErrors.error(
          SsmException.builder(),
          "Ssm",
          "ValidationException",
          400,
          "1 validation error detected: Value null at '"
              + (request.name() == null ? "name" : "value")
              + "' failed to satisfy constraint: Member must not be null");
    }
    if (request.value().length() > MAX_STANDARD_VALUE && request.tier() != ParameterTier.ADVANCED) {
      throw AwsErrors.error(
          SsmException.builder(),
          "Ssm",
          "ValidationException",
          400,
          "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
    }
    Parameter existing = parameters.get(request.name());
    if (existing != null && !Boolean.TRUE.equals(request.overwrite())) {
      throw AwsErrors.error(
          ParameterAlreadyExistsException.builder(),
          "Ssm",
          "ParameterAlreadyExists",
          400,
          "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }
    ParameterType type =
        request.type() != null
            ? request.type()
            : existing != null ? existing.type() : ParameterType.STRING;
    Parameter p = store(request.name(), request.value(), type, true);
    String operation = existing == null ? "Create" : "Update";
    String description = request.description() == null ? "" : request.description();
    for (ChangeListener l : listeners) {
      l.changed(operation, p, description);
    }
    return PutParameterResponse.builder()
        .version(p.version())
        .tier(request.tier() == null ? ParameterTier.STANDARD : request.tier())
        .build();
  }

  private Parameter store(String name, String value, ParameterType type, boolean overwrite) {
    Parameter existing = parameters.get(name);
    long version = existing == null ? 1 : existing.version() + 1;
    Instant now = clock.instant();
    String path = name.startsWith("/") ? name : "/" + name;
    Parameter p =
        Parameter.builder()
            .name(name)
            .type(type)
            .value(value)
            .version(version)
            .lastModifiedDate(now)
            .arn("arn:aws:ssm:" + region + ":" + account + ":parameter" + path)
            .dataType("text")
            .build();
    parameters.put(name, p);
    return p;
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
