package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Path and intrinsic evaluation for one execution (spec "Input and Output Processing"): InputPath
 * and OutputPath selection, Payload Templates, ResultPath placement, and the {@code ...Path} fields
 * read from a state's input. Failures are {@code States.Runtime} with the causes Step Functions
 * words.
 */
final class DataFlow {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final Intrinsics intrinsics;

  DataFlow(Intrinsics intrinsics) {
    this.intrinsics = intrinsics;
  }

  /** InputPath or OutputPath applied to {@code value}. */
  JsonNode select(IoPaths.Selection selection, JsonNode value, Frame f) {
    if (selection instanceof IoPaths.Select s) {
      return read(s.path(), value, f);
    }
    return selection instanceof IoPaths.Empty ? F.objectNode() : value;
  }

  /** ResultPath: where {@code result} goes in {@code raw}, the state's input. */
  static JsonNode place(IoPaths.ResultPath resultPath, JsonNode raw, JsonNode result) {
    if (resultPath instanceof IoPaths.At at) {
      return JsonPaths.set(raw, at.path(), result);
    }
    return resultPath instanceof IoPaths.Discard ? raw : result;
  }

  /** ResultSelector, ResultPath and OutputPath, applied to a Task, Parallel or Map result. */
  JsonNode afterResult(Frame f, JsonNode result) {
    IoPaths io = f.state().io();
    JsonNode selected = apply(io.resultSelector(), result, f.context(), f);
    return select(io.outputPath(), place(io.resultPath(), f.input(), selected), f);
  }

  /** InputPath, then Parameters: the effective input of a Pass, Task or Parallel state. */
  JsonNode effectiveInput(Frame f) {
    IoPaths io = f.state().io();
    return apply(io.parameters(), select(io.inputPath(), f.input(), f), f.context(), f);
  }

  /** Evaluates a Payload Template against {@code data} and the context object {@code ctx}. */
  JsonNode apply(PayloadTemplate template, JsonNode data, JsonNode ctx, Frame f) {
    if (template instanceof PayloadTemplate.Identity) {
      return data;
    }
    if (template instanceof PayloadTemplate.Literal l) {
      return l.value().deepCopy();
    }
    if (template instanceof PayloadTemplate.ObjectTemplate o) {
      ObjectNode out = F.objectNode();
      for (PayloadTemplate.Field field : o.fields()) {
        out.set(field.key(), apply(field.value(), data, ctx, f));
      }
      return out;
    }
    if (template instanceof PayloadTemplate.ArrayTemplate a) {
      ArrayNode out = F.arrayNode();
      a.elements().forEach(e -> out.add(apply(e, data, ctx, f)));
      return out;
    }
    if (template instanceof PayloadTemplate.IntrinsicValue i) {
      return intrinsics.evaluate(i.expression(), data, ctx);
    }
    PayloadTemplate.PathValue p = (PayloadTemplate.PathValue) template;
    Optional<JsonNode> v;
    try {
      v = JsonPaths.read(p.path(), data, ctx);
    } catch (AslError err) {
      v = Optional.empty();
    }
    return v.orElseThrow(
        () ->
            f.runtime(
                "The JSONPath '"
                    + p.path()
                    + "' specified for the field '"
                    + p.key()
                    + "' could not be found in the input '"
                    + Asl.write(p.path().startsWith("$$") ? ctx : data)
                    + "'"));
  }

  /** Reads a {@code ...Path} field; matching nothing is {@code States.Runtime}. */
  JsonNode read(String path, JsonNode data, Frame f) {
    return JsonPaths.read(path, data, f.context())
        .orElseThrow(
            () ->
                f.runtime("Invalid path '" + path + "' : No results for path: " + bracketed(path)));
  }

  /** A Fail state's ErrorPath or CausePath: a path or an intrinsic that must give a string. */
  String string(String expression, JsonNode data, Frame f) {
    JsonNode v =
        Intrinsics.isIntrinsic(expression)
            ? intrinsics.evaluate(expression, data, f.context())
            : read(expression, data, f);
    if (!v.isTextual()) {
      throw f.runtime("The value at '" + expression + "' is not a string: " + Asl.write(v));
    }
    return v.asText();
  }

  /** A fresh {@code States.UUID()}, from the execution's source of randomness. */
  String uuid(JsonNode ctx) {
    return intrinsics.evaluate("States.UUID()", F.objectNode(), ctx).asText();
  }

  /** {@code $.a.b} -> {@code $['a']['b']}, the way Step Functions quotes paths in causes. */
  static String bracketed(String path) {
    if (!JsonPaths.isReferencePath(path)) {
      return path;
    }
    StringBuilder b = new StringBuilder("$");
    for (String part : path.substring(1).split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      if (!field.isEmpty()) {
        b.append("['").append(field).append("']");
      }
      if (bracket >= 0) {
        b.append(part.substring(bracket));
      }
    }
    return b.toString();
  }
}
