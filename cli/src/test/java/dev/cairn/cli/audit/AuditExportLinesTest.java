package dev.cairn.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.cli.common.CliIo;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The byte reader yields exactly the lines a {@code BufferedReader} reads, and refuses the same.
 */
class AuditExportLinesTest {

  static List<String> bytesRead(byte[] file) {
    List<String> out = new ArrayList<>();
    new AuditExportLines(new ByteArrayInputStream(file))
        .forEachRemaining(l -> out.add(new String(l, StandardCharsets.UTF_8)));
    return out;
  }

  static List<String> charsRead(String file) {
    // What the character reader the exports were read with before returned: one CR stripped, blank
    // lines skipped.
    List<String> out = new ArrayList<>();
    for (String l : file.split("\n", -1)) {
      String line = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  @Test
  void linesBlanksCrlfAndNonAscii_asTheCharacterReaderSeesThem() {
    StringBuilder file = new StringBuilder();
    file.append("{\"a\":1}\n\n   \t\n{\"b\":2}\r\n\u000b\u001c\n{\"caf\u00e9\":\"\u2603\"}\n");
    // Lines that straddle the 8-byte words and the 1 MiB read buffer.
    for (int i = 0; i < 3000; i++) {
      file.append("{\"n\":\"").append("x".repeat(i % 17)).append("\"}\n");
    }
    file.append("{\"last\":\"no newline\"}");
    String text = file.toString();
    assertThat(bytesRead(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(charsRead(text));
  }

  @Test
  void aLineOverTheLimit_isRefused() {
    byte[] file =
        ("{\"ok\":1}\n\"" + "y".repeat(AuditJsonLines.MAX_LINE_CHARS) + "\"\n")
            .getBytes(StandardCharsets.US_ASCII);
    var lines = new AuditExportLines(new ByteArrayInputStream(file));
    assertThat(lines.next()).isNotNull();
    assertThatThrownBy(lines::hasNext)
        .isInstanceOf(CliIo.UsageException.class)
        .hasMessageContaining("line 2 is longer than");
  }

  @Test
  void aLineThatIsNotUtf8_failsTheRead_asTheDecoderWould() {
    byte[] file = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}', '\n'};
    assertThatThrownBy(() -> bytesRead(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(MalformedInputException.class);
  }
}
