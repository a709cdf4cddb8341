package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The entries of a {@code cairn audit export} file, one per non-blank line ({@link
 * AuditExportLines} reads them), parsed as they are consumed; a line that is not a JSON object
 * becomes a malformed entry (the chain check names it).
 */
public final class AuditJsonLines implements Iterator<JsonNode> {
  /** The longest JSONL line read (an audit entry is a few KiB). */
  public static final int MAX_LINE_CHARS = 1 << 20;

  private final Iterator<byte[]> lines;

  AuditJsonLines(Iterator<byte[]> lines) {
    this.lines = lines;
  }

  @Override
  public boolean hasNext() {
    return lines.hasNext();
  }

  @Override
  public JsonNode next() {
    String line = new String(lines.next(), StandardCharsets.UTF_8);
    try {
      return Json.parse(line);
    } catch (IOException e) {
      ObjectNode bad = Json.object();
      bad.put("unparseable_line", "invalid JSON");
      return bad;
    }
  }
}
