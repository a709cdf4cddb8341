package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled Payload Template (spec "Payload Template"): Parameters, ResultSelector, ItemSelector,
 * or a Pass state's Result. A {@code .$} key whose value is a string becomes a path or an intrinsic
 * call, resolved when the state runs; everything else is a literal. {@link #IDENTITY} stands for an
 * absent template: the data passes unchanged.
 */
sealed interface PayloadTemplate
    permits PayloadTemplate.Identity,
        PayloadTemplate.Literal,
        PayloadTemplate.ObjectTemplate,
        PayloadTemplate.ArrayTemplate,
        PayloadTemplate.PathValue,
        PayloadTemplate.IntrinsicValue {

  PayloadTemplate IDENTITY = new Identity();

  /** An absent template. */
  record Identity() implements PayloadTemplate {}

  /** A value copied as written. */
  record Literal(JsonNode value) implements PayloadTemplate {}

  /** An object; {@code fields} keep the definition's order. */
  record ObjectTemplate(List<Field> fields) implements PayloadTemplate {
    public ObjectTemplate {
      fields = List.copyOf(fields);
    }
  }

  /** One field of an object template: the output key and its value. */
  record Field(String key, PayloadTemplate value) {}

  /** An array; each element is a template. */
  record ArrayTemplate(List<PayloadTemplate> elements) implements PayloadTemplate {
    public ArrayTemplate {
      elements = List.copyOf(elements);
    }
  }

  /** A {@code key.$} with a path; {@code key} keeps the {@code .$} for error messages. */
  record PathValue(String key, String path) implements PayloadTemplate {}

  /** A {@code key.$} with an intrinsic function call. */
  record IntrinsicValue(String expression) implements PayloadTemplate {}

  /** Compiles {@code template} as written in the definition. */
  static PayloadTemplate compile(JsonNode template) {
    if (template.isObject()) {
      List<Field> fields = new ArrayList<>();
      template
          .fields()
          .forEachRemaining(
              e -> {
                String key = e.getKey();
                if (key.endsWith(".$") && e.getValue().isTextual()) {
                  String expr = e.getValue().asText();
                  String outKey = key.substring(0, key.length() - 2);
                  fields.add(
                      new Field(
                          outKey,
                          Intrinsics.isIntrinsic(expr)
                              ? new IntrinsicValue(expr)
                              : new PathValue(key, expr)));
                } else {
                  fields.add(new Field(key, compile(e.getValue())));
                }
              });
      return new ObjectTemplate(fields);
    }
    if (template.isArray()) {
      List<PayloadTemplate> elements = new ArrayList<>();
      template.forEach(v -> elements.add(compile(v)));
      return new ArrayTemplate(elements);
    }
    return new Literal(template.deepCopy());
  }
}
