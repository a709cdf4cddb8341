package dev.cairn.sandbox.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.event.ruler.Machine;

/**
 * An {@code AWS::Events::Rule} as EventBridge applies it: the event pattern is matched by AWS's own
 * matcher (event-ruler), and each target's input is built the way EventBridge builds it.
 *
 * <p>Built from the resource's CloudFormation {@code Properties} with every {@code Ref} and {@code
 * Fn::} already resolved. What PutRule or PutTargets would refuse is refused here, at construction,
 * with an {@link IllegalArgumentException} naming the rule (and the target).
 */
public final class EventRule {

  /** PutRule {@code Name} and PutTargets {@code Id}: "[\.\-_A-Za-z0-9]+", 1 to 64 characters. */
  private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");

  /** PutTargets {@code InputPathsMap} key pattern. */
  private static final Pattern INPUT_PATHS_KEY = Pattern.compile("[A-Za-z0-9_\\-]+");

  // PutTargets / PutRule limits (API reference and EventBridge quotas).
  private static final int MAX_TARGETS = 5;
  private static final int MAX_INPUT_PATHS = 100;
  private static final int MAX_INPUT = 8192;
  private static final int MAX_INPUT_TEMPLATE = 8192;
  private static final int MAX_PATH = 256;
  private static final int MAX_ARN = 1600;

  private static final Set<String> STATES =
      Set.of("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");

  private static final Set<String> RULE_PROPERTIES =
      Set.of(
          "Name",
          "Description",
          "EventBusName",
          "EventPattern",
          "ScheduleExpression",
          "State",
          "Targets",
          "RoleArn");

  private sealed interface TargetInput permits WholeEvent, Constant, Path, Transformer {}

  /** No Input, InputPath or InputTransformer: the whole event. */
  private record WholeEvent() implements TargetInput {}

  /** {@code Input}: the JSON text as is. */
  private record Constant(String text) implements TargetInput {}

  /** {@code InputPath}: the value at the path, as JSON. */
  private record Path(EventJsonPath path) implements TargetInput {}

  /** {@code InputTransformer}. */
  private record Transformer(Map<String, EventJsonPath> paths, InputTemplate template)
      implements TargetInput {}

  private record Target(String id, String arn, String roleArn, TargetInput input) {}

  private final String logicalId;
  private final String name;
  private final String eventBusName;
  private final String scheduleExpression;
  private final boolean enabled;
  private final List<Target> targets;
  private final Machine machine;

  private EventRule(
      String logicalId,
      String name,
      String eventBusName,
      String scheduleExpression,
      boolean enabled,
      List<Target> targets,
      Machine machine) {
    this.logicalId = logicalId;
    this.name = name;
    this.eventBusName = eventBusName;
    this.scheduleExpression = scheduleExpression;
    this.enabled = enabled;
    this.targets = List.copyOf(targets);
    this.machine = machine;
  }

  /**
   * Builds the rule from its CloudFormation {@code Properties}.
   *
   * @param logicalId the resource's logical id; also the rule name when {@code Name} is absent
   *     (CloudFormation would generate one from the stack name, which the sandbox does not know)
   * @throws IllegalArgumentException for what PutRule or PutTargets would refuse
   */
  public static EventRule fromProperties(String logicalId, JsonNode properties) {
    Objects.requireNonNull(logicalId, "logicalId");
    if (properties == null || !properties.isObject()) {
      throw refused(logicalId, "Properties must be a JSON object");
    }
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!RULE_PROPERTIES.contains(field)) {
        throw refused(logicalId, "unknown property " + field);
      }
    }
    String name = optionalText(logicalId, properties, "Name");
    if (name != null && !NAME.matcher(name).matches()) {
      throw refused(logicalId, "Name must match [.\\-_A-Za-z0-9]{1,64}: " + name);
    }
    String state =
        Optional.ofNullable(optionalText(logicalId, properties, "State")).orElse("ENABLED");
    if (!STATES.contains(state)) {
      throw refused(logicalId, "State must be one of " + STATES + ": " + state);
    }
    String schedule = optionalText(logicalId, properties, "ScheduleExpression");
    if (schedule != null && !(schedule.startsWith("rate(") || schedule.startsWith("cron("))) {
      throw refused(logicalId, "ScheduleExpression must be rate(...) or cron(...): " + schedule);
    }
    Machine machine = compilePattern(logicalId, properties.get("EventPattern"));
    if (machine == null && schedule == null) {
      // PutRule: "ScheduleExpression or EventPattern must be specified".
      throw refused(logicalId, "EventPattern or ScheduleExpression must be specified");
    }
    List<Target> targets = new ArrayList<>();
    JsonNode targetsNode = properties.get("Targets");
    if (targetsNode != null) {
      if (!targetsNode.isArray()) {
        throw refused(logicalId, "Targets must be a list");
      }
      if (targetsNode.size() > MAX_TARGETS) {
        throw refused(logicalId, "a rule has at most " + MAX_TARGETS + " targets");
      }
      Set<String> ids = new HashSet<>();
      for (JsonNode targetNode : targetsNode) {
        Target target = target(logicalId, targetNode);
        if (!ids.add(target.id())) {
          throw refusedTarget(logicalId, target.id(), "duplicate target Id");
        }
        targets.add(target);
      }
    }
    return new EventRule(
        logicalId,
        name != null ? name : logicalId,
        busName(optionalText(logicalId, properties, "EventBusName")),
        schedule,
        !state.equals("DISABLED"),
        targets,
        machine);
  }

  /** The CloudFormation logical id. */
  public String logicalId() {
    return logicalId;
  }

  /** {@code Name}, or the logical id when the template gives none. */
  public String name() {
    return name;
  }

  /** The event bus the rule listens on: {@code EventBusName}, or "default". */
  public String eventBusName() {
    return eventBusName;
  }

  /** {@code ScheduleExpression}, when the rule runs on a schedule. */
  public Optional<String> scheduleExpression() {
    return Optional.ofNullable(scheduleExpression);
  }

  /** False when {@code State} is DISABLED. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The rule's ARN in a region and account: {@code arn:aws:events:region:account:rule/name} on the
   * default bus, {@code .../rule/bus/name} on a custom bus.
   */
  public String arn(String region, String account) {
    String bus = eventBusName.equals("default") ? "" : eventBusName + "/";
    return "arn:aws:events:" + region + ":" + account + ":rule/" + bus + name;
  }

  /**
   * Whether EventBridge would send this event to the rule's targets: the rule is enabled, has an
   * event pattern, and event-ruler matches the pattern. A schedule-only rule matches no event.
   */
  public boolean matches(JsonNode event) {
    Objects.requireNonNull(event, "event");
    return enabled && machine != null && !machine.rulesForJSONEvent(event).isEmpty();
  }

  /**
   * One invocation per target when the event {@link #matches matches}, else none. The ingestion
   * time ({@code <aws.events.event.ingestion-time>}) is taken from the event's {@code time}.
   *
   * @throws IllegalStateException when an input cannot be built from this event (an InputPath with
   *     no value, or an unquoted transformer variable with no value)
   */
  public List<TargetInvocation> invocations(JsonNode event) {
    return invocations(event, ingestionTimeOf(event));
  }

  /** As {@link #invocations(JsonNode)}, with the time EventBridge received the event. */
  public List<TargetInvocation> invocations(JsonNode event, Instant ingestionTime) {
    return matches(event) ? deliver(event, ingestionTime) : List.of();
  }

  /**
   * The invocations when the schedule fires, for a "Scheduled Event" (see {@link
   * AwsEvents#scheduledEvent}); none when the rule is disabled or has no schedule.
   */
  public List<TargetInvocation> scheduledInvocations(JsonNode scheduledEvent) {
    Objects.requireNonNull(scheduledEvent, "scheduledEvent");
    if (!enabled || scheduleExpression == null) {
      return List.of();
    }
    return deliver(scheduledEvent, ingestionTimeOf(scheduledEvent));
  }

  private List<TargetInvocation> deliver(JsonNode event, Instant ingestionTime) {
    List<TargetInvocation> out = new ArrayList<>(targets.size());
    for (Target target : targets) {
      out.add(
          new TargetInvocation(
              logicalId,
              target.id(),
              target.arn(),
              target.roleArn(),
              input(target, event, ingestionTime)));
    }
    return List.copyOf(out);
  }

  private String input(Target target, JsonNode event, Instant ingestionTime) {
    TargetInput input = target.input();
    if (input instanceof WholeEvent) {
      return InputTemplate.compact(event);
    }
    if (input instanceof Constant c) {
      return c.text();
    }
    if (input instanceof Path p) {
      return InputTemplate.compact(
          p.path()
              .read(event)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "rule "
                              + logicalId
                              + " target "
                              + target.id()
                              + ": InputPath "
                              + p.path()
                              + " has no value in the event")));
    }
    Transformer t = (Transformer) input;
    Map<String, JsonNode> values = new HashMap<>();
    t.paths().forEach((key, path) -> path.read(event).ifPresent(v -> values.put(key, v)));
    values.put(
        InputTemplate.RULE_ARN,
        TextNode.valueOf(arn(text(event, "region"), text(event, "account"))));
    values.put(InputTemplate.RULE_NAME, TextNode.valueOf(name));
    values.put(
        InputTemplate.INGESTION_TIME,
        TextNode.valueOf(DateTimeFormatter.ISO_INSTANT.format(ingestionTime)));
    ObjectNode withoutDetail = event.deepCopy();
    withoutDetail.remove("detail");
    values.put(InputTemplate.EVENT, withoutDetail);
    values.put(InputTemplate.EVENT_JSON, event);
    try {
      return t.template().render(values);
    } catch (InputTemplate.MissingValueException e) {
      throw new IllegalStateException(
          "rule "
              + logicalId
              + " target "
              + target.id()
              + ": "
              + e.getMessage()
              + " (path "
              + t.paths().get(e.variable())
              + "), so the JSON template cannot be filled",
          e);
    }
  }

  // ---- construction -------------------------------------------------------------------------

  private static Machine compilePattern(String logicalId, JsonNode pattern) {
    if (pattern == null || pattern.isNull()) {
      return null;
    }
    String text;
    if (pattern.isObject()) {
      text = InputTemplate.compact(pattern);
    } else if (pattern.isTextual()) {
      text = pattern.asText();
    } else {
      throw refused(logicalId, "EventPattern must be a JSON object");
    }
    Machine machine = new Machine();
    try {
      machine.addRule(logicalId, text);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "PutRule would refuse rule "
              + logicalId
              + ": Event pattern is not valid: "
              + e.getMessage(),
          e);
    }
    return machine;
  }

  private static Target target(String logicalId, JsonNode node) {
    if (!node.isObject()) {
      throw refused(logicalId, "each target must be a JSON object");
    }
    String id = optionalText(logicalId, node, "Id");
    if (id == null || !NAME.matcher(id).matches()) {
      throw refused(logicalId, "target Id must match [.\\-_A-Za-z0-9]{1,64}: " + id);
    }
    String arn = optionalText(logicalId, node, "Arn");
    if (arn == null || arn.isEmpty() || arn.length() > MAX_ARN) {
      throw refusedTarget(logicalId, id, "Arn is required (1 to " + MAX_ARN + " characters)");
    }
    String roleArn = optionalText(logicalId, node, "RoleArn");
    int modes = 0;
    for (String mode : List.of("Input", "InputPath", "InputTransformer")) {
      if (node.hasNonNull(mode)) {
        modes++;
      }
    }
    if (modes > 1) {
      // PutTargets: "Input, InputPath, and InputTransformer are mutually exclusive".
      throw refusedTarget(
          logicalId, id, "Input, InputPath and InputTransformer are mutually exclusive");
    }
    return new Target(id, arn, roleArn, targetInput(logicalId, id, node));
  }

  private static TargetInput targetInput(String logicalId, String id, JsonNode node) {
    if (node.hasNonNull("Input")) {
      String input = targetText(logicalId, id, node, "Input");
      if (input.length() > MAX_INPUT) {
        throw refusedTarget(logicalId, id, "Input is longer than " + MAX_INPUT + " characters");
      }
      if (InputTemplate.parseJson(input).isEmpty()) {
        // PutTargets, Input: "Valid JSON text passed to the target."
        throw refusedTarget(logicalId, id, "Input is not valid JSON text");
      }
      return new Constant(input);
    }
    if (node.hasNonNull("InputPath")) {
      return new Path(
          path(logicalId, id, "InputPath", targetText(logicalId, id, node, "InputPath")));
    }
    if (node.hasNonNull("InputTransformer")) {
      return transformer(logicalId, id, node.get("InputTransformer"));
    }
    return new WholeEvent();
  }

  private static Transformer transformer(String logicalId, String id, JsonNode node) {
    if (!node.isObject()) {
      throw refusedTarget(logicalId, id, "InputTransformer must be a JSON object");
    }
    JsonNode templateNode = node.get("InputTemplate");
    if (templateNode == null || !templateNode.isTextual()) {
      throw refusedTarget(logicalId, id, "InputTransformer.InputTemplate is required (a string)");
    }
    String template = templateNode.asText();
    if (template.isEmpty() || template.length() > MAX_INPUT_TEMPLATE) {
      throw refusedTarget(
          logicalId, id, "InputTemplate must be 1 to " + MAX_INPUT_TEMPLATE + " characters");
    }
    Map<String, EventJsonPath> paths = new LinkedHashMap<>();
    JsonNode map = node.get("InputPathsMap");
    if (map != null && !map.isNull()) {
      if (!map.isObject()) {
        throw refusedTarget(logicalId, id, "InputPathsMap must be a JSON object");
      }
      if (map.size() > MAX_INPUT_PATHS) {
        throw refusedTarget(
            logicalId,
            id,
            "InputPathsMap has " + map.size() + " entries; at most " + MAX_INPUT_PATHS);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String key = entry.getKey();
        if (key.toLowerCase(Locale.ROOT).startsWith("aws.")) {
          // PutTargets, InputPathsMap: "The keys cannot start with "AWS."" -- they are reserved
          // for the predefined variables.
          throw refusedTarget(logicalId, id, "InputPathsMap key " + key + " starts with AWS.");
        }
        if (key.length() > MAX_PATH || !INPUT_PATHS_KEY.matcher(key).matches()) {
          throw refusedTarget(
              logicalId, id, "InputPathsMap key " + key + " must match [A-Za-z0-9_-]+ (max 256)");
        }
        if (!entry.getValue().isTextual()) {
          throw refusedTarget(logicalId, id, "InputPathsMap value of " + key + " must be a string");
        }
        paths.put(key, path(logicalId, id, "InputPathsMap." + key, entry.getValue().asText()));
      }
    }
    try {
      return new Transformer(paths, InputTemplate.parse(template, paths.keySet()));
    } catch (IllegalArgumentException e) {
      throw refusedTarget(logicalId, id, e.getMessage());
    }
  }

  private static EventJsonPath path(String logicalId, String id, String field, String text) {
    if (text.length() > MAX_PATH) {
      throw refusedTarget(logicalId, id, field + " is longer than " + MAX_PATH + " characters");
    }
    try {
      return EventJsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw refusedTarget(
          logicalId,
          id,
          field + " " + text + " is not a JSON path the sandbox can read: " + e.getMessage());
    }
  }

  private static String busName(String eventBusName) {
    if (eventBusName == null) {
      return "default";
    }
    int slash = eventBusName.indexOf(":event-bus/");
    return slash >= 0 ? eventBusName.substring(slash + ":event-bus/".length()) : eventBusName;
  }

  private static String optionalText(String logicalId, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw refused(logicalId, field + " must be a string (resolve Ref and Fn:: first)");
    }
    return value.asText();
  }

  private static String targetText(String logicalId, String id, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      throw refusedTarget(logicalId, id, field + " must be a string");
    }
    return value.asText();
  }

  private static String text(JsonNode event, String field) {
    JsonNode value = event.get(field);
    return value != null && value.isTextual() ? value.asText() : "";
  }

  private static Instant ingestionTimeOf(JsonNode event) {
    try {
      return Instant.parse(text(event, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "event has no ISO-8601 time; pass the ingestion time explicitly", e);
    }
  }

  private static IllegalArgumentException refused(String logicalId, String reason) {
    return new IllegalArgumentException(
        "EventBridge would refuse rule " + logicalId + ": " + reason);
  }

  private static IllegalArgumentException refusedTarget(
      String logicalId, String targetId, String reason) {
    return new IllegalArgumentException(
        "PutTargets would refuse rule " + logicalId + " target " + targetId + ": " + reason);
  }
}
