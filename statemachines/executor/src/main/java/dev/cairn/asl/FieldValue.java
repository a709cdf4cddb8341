package dev.cairn.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A field the spec lets a state give either as a value or through a {@code ...Path} sibling (Task
 * TimeoutSeconds and HeartbeatSeconds, Map ToleratedFailure*, Fail Error and Cause). The path form
 * is read from the state's input when the state runs.
 */
sealed interface FieldValue permits FieldValue.Absent, FieldValue.Fixed, FieldValue.FromPath {
  FieldValue ABSENT = new Absent();

  /** Neither the field nor its Path variant is present. */
  record Absent() implements FieldValue {}

  /** The field as written. */
  record Fixed(JsonNode value) implements FieldValue {}

  /**
   * The {@code ...Path} variant: {@code field} is the field's name without {@code Path}, {@code
   * path} the Path (or, for ErrorPath and CausePath, an intrinsic call).
   */
  record FromPath(String field, String path) implements FieldValue {}
}
