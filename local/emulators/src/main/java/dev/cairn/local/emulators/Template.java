package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** A parsed template and its original text. */
record Template(String body, ObjectNode root) {
  Iterator<Map.Entry<String, JsonNode>> resources() {
    return root.get("Resources").fields();
  }
}
