package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;

/**
 * One attempt at an inline Map state (spec "Map State"). Iterations run one after another, each
 * scheduled into the earliest free of {@code MaxConcurrency} slots on its own clock, so elapsed
 * virtual time matches concurrent execution. With a tolerated failure count or percentage, failed
 * iterations give their Error Output as their result until the threshold is exceeded.
 */
final class MapRunner {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Execution execution;
  private final DataFlow data;

  MapRunner(Execution execution, DataFlow data) {
    this.execution = execution;
    this.data = data;
  }

  /** ToleratedFailureCount and ToleratedFailurePercentage, each {@code null} when absent. */
  private record Tolerance(Long count, Double percent) {
    boolean any() {
      return count != null || percent != null;
    }

    /** With both, the Map fails only when both are exceeded. */
    boolean exceededBy(int failures, int items) {
      boolean overCount = count != null && failures > count;
      boolean overPercent = percent != null && failures * 100.0 / items > percent;
      return count != null && percent != null ? overCount && overPercent : overCount || overPercent;
    }
  }

  JsonNode run(State.Map map, Frame f) {
    VirtualClock c = f.clock();
    JsonNode effective = data.effectiveInput(f);
    if (map.hasItemReader()) {
      throw new AslError(
          Asl.ITEM_READER_FAILED, f.prefix() + "ItemReader is not supported locally");
    }
    JsonNode items = data.read(map.itemsPath(), effective, f);
    if (!items.isArray()) {
      throw f.runtime(
          "Invalid path '"
              + map.itemsPath()
              + "': the value is not a JSON array: "
              + Asl.write(items));
    }
    JsonNode percent = number(map.toleratedFailurePercentage(), effective, f);
    JsonNode count = number(map.toleratedFailureCount(), effective, f);
    Tolerance tolerance =
        new Tolerance(
            count == null ? null : count.asLong(), percent == null ? null : percent.asDouble());
    ObjectNode startedDetails = F.objectNode();
    startedDetails.put("length", items.size());
    execution.event(c, "MapStateStarted", startedDetails);
    int slots = map.maxConcurrency() == 0 ? Math.max(1, items.size()) : map.maxConcurrency();
    Instant[] slotFree = new Instant[slots];
    Arrays.fill(slotFree, c.instant());
    ArrayNode results = F.arrayNode();
    int failures = 0;
    Instant latest = c.instant();
    for (int i = 0; i < items.size(); i++) {
      int slot = 0;
      for (int s = 1; s < slots; s++) {
        if (slotFree[s].isBefore(slotFree[slot])) {
          slot = s;
        }
      }
      VirtualClock ic = new VirtualClock(slotFree[slot]);
      ObjectNode item = F.objectNode();
      item.put("Index", i);
      item.set("Value", items.get(i));
      ObjectNode it = F.objectNode();
      it.put("name", map.name());
      it.put("index", i);
      execution.event(ic, "MapIterationStarted", it);
      try {
        results.add(
            execution.runGraph(map.processor(), itemInput(map, item, effective, f), ic, item));
        execution.event(ic, "MapIterationSucceeded", it.deepCopy());
      } catch (AslError e) {
        ObjectNode fd = it.deepCopy();
        fd.put("error", e.error());
        execution.event(ic, "MapIterationFailed", fd);
        if (!tolerance.any() || ErrorEquals.terminal(e.error())) {
          c.set(ParallelRunner.later(latest, ic.instant()));
          execution.event(c, "MapStateFailed", F.objectNode());
          throw e;
        }
        failures++;
        ObjectNode err = F.objectNode();
        err.put("Error", e.error());
        if (e.errorCause() != null) {
          err.put("Cause", e.errorCause());
        }
        results.add(err);
      }
      slotFree[slot] = ic.instant();
      latest = ParallelRunner.later(latest, ic.instant());
    }
    c.set(latest);
    if (tolerance.any() && failures > 0 && tolerance.exceededBy(failures, items.size())) {
      execution.event(c, "MapStateFailed", F.objectNode());
      throw new AslError(
          Asl.EXCEED_TOLERATED_FAILURE_THRESHOLD,
          "The specified tolerated failure threshold was exceeded");
    }
    execution.event(c, "MapStateSucceeded", F.objectNode());
    return data.afterResult(f, results);
  }

  /** The item itself, or the ItemSelector evaluated with {@code $$.Map.Item} in the context. */
  private JsonNode itemInput(State.Map map, ObjectNode item, JsonNode effective, Frame f) {
    if (map.itemSelector() instanceof PayloadTemplate.Identity) {
      return item.get("Value");
    }
    ObjectNode itemContext = f.context().deepCopy();
    itemContext.putObject("Map").set("Item", item);
    return data.apply(map.itemSelector(), effective, itemContext, f);
  }

  /** A tolerance as written or read from its Path; {@code null} when absent. */
  private JsonNode number(FieldValue value, JsonNode effective, Frame f) {
    if (value instanceof FieldValue.Fixed fixed) {
      return fixed.value();
    }
    return value instanceof FieldValue.FromPath p ? data.read(p.path(), effective, f) : null;
  }
}
