package dev.cairn.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The entries of a {@code cairn audit export} file, one per non-blank line, read as they are
 * consumed; a line that is not a JSON object becomes a malformed entry (the chain check names it).
 */
/** One entry per non-blank line; a line that is not a JSON object becomes a malformed entry. */
public final class AuditJsonLines implements Iterator<JsonNode> {
  /** The longest JSONL line read (an audit entry is a few KiB). */
  public static final int MAX_LINE_CHARS = 1 << 20;

  private final BufferedReader reader;
  private final StringBuilder line = new StringBuilder();
  private long lineNumber;
  private String next;

  public AuditJsonLines(BufferedReader reader) {
    this.reader = reader;
    advance();
  }

  private void advance() {
    try {
      do {
        next = readLine();
      } while (next != null && next.isBlank());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link BufferedReader#readLine}, but refusing a line over {@link #MAX_LINE_CHARS}. */
  private String readLine() throws IOException {
    line.setLength(0);
    int c;
    while ((c = reader.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (line.length() == MAX_LINE_CHARS) {
        throw new CliIo.UsageException(
            "line "
                + (lineNumber + 1)
                + " is longer than the "
                + CliIo.bytes(MAX_LINE_CHARS)
                + " limit for an audit entry");
      }
      line.append((char) c);
    }
    if (c == -1 && line.length() == 0) {
      return null;
    }
    lineNumber++;
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      line.setLength(end - 1);
    }
    return line.toString();
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public JsonNode next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    String line = next;
    advance();
    try {
      return Json.parse(line);
    } catch (IOException e) {
      ObjectNode bad = Json.object();
      bad.put("unparseable_line", "invalid JSON");
      return bad;
    }
  }
}
