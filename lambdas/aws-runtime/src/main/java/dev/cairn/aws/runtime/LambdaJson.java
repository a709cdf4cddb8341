package dev.cairn.aws.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Strict reading of Lambda payloads (the same rules as every boundary document) and writing
 * results.
 */
public final class LambdaJson {

  /** Step Functions caps a payload at 256 KiB. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private LambdaJson() {}

  public static ObjectNode readObject(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
    if (bytes.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("the payload is larger than 256 KiB");
    }
    JsonNode node = Json.parse(bytes);
    if (!(node instanceof ObjectNode o)) {
      throw new IllegalArgumentException("the payload must be a JSON object");
    }
    return o;
  }

  public static void write(OutputStream out, JsonNode value) throws IOException {
    out.write(Json.compact(value).getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
