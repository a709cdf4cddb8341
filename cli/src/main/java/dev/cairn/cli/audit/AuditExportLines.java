package dev.cairn.cli.audit;

import dev.cairn.cli.common.CliIo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines of a {@code cairn audit export} file as bytes, for {@link AuditJsonLines}: without
 * decoding the ASCII lines Cairn writes. ({@link dev.cairn.core.audit.AuditExportVerifier} applies
 * the same rules to the chunks it reads.) Blank lines are skipped, one {@code \r} before the {@code
 * \n} is removed, a line over {@link AuditJsonLines#MAX_LINE_CHARS} characters is refused, and a
 * line that is not UTF-8 fails the read as the reader's decoder would.
 */
final class AuditExportLines implements Iterator<byte[]> {

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 20];
  private int bufferPos;
  private int bufferEnd;
  private byte[] line = new byte[4096];
  private long lineNumber;
  private byte[] next;
  private boolean eof;

  AuditExportLines(InputStream in) {
    this.in = in;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !eof) {
      try {
        next = read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return next != null;
  }

  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    byte[] l = next;
    next = null;
    return l;
  }

  /** The next non-blank line, or null at the end. */
  private byte[] read() throws IOException {
    while (true) {
      int length = readLine();
      if (length < 0) {
        eof = true;
        return null;
      }
      lineNumber++;
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      boolean blank = true;
      for (int i = 0; i < length && blank; i++) {
        byte b = line[i];
        blank = b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1c && b <= 0x1f);
      }
      int chars = length;
      if (!ascii(length)) {
        String text = decode(length);
        chars = text.length();
        blank = text.isBlank();
      }
      if (chars > AuditJsonLines.MAX_LINE_CHARS) {
        throw new CliIo.UsageException(tooLong(lineNumber));
      }
      if (!blank) {
        return Arrays.copyOf(line, length);
      }
    }
  }

  /** The refusal of line {@code lineNumber} (from 1, blank lines included) for its length. */
  static String tooLong(long lineNumber) {
    return "line "
        + lineNumber
        + " is longer than the "
        + CliIo.bytes(AuditJsonLines.MAX_LINE_CHARS)
        + " limit for an audit entry";
  }

  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** The index of the first {@code \n} in the buffer from {@code from}, or -1: a word at a time. */
  private int newline(int from) {
    int i = from;
    for (; i + 8 <= bufferEnd; i += 8) {
      long x = (long) LONGS.get(buffer, i) ^ NEWLINES;
      long zero = (x - ONES) & ~x & HIGHS;
      if (zero != 0) {
        return i + (Long.numberOfTrailingZeros(zero) >>> 3);
      }
    }
    for (; i < bufferEnd; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** No byte of the line has its high bit set: eight bytes at a time (this runs for every line). */
  private boolean ascii(int length) {
    long high = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      high |= (long) LONGS.get(line, i);
    }
    for (; i < length; i++) {
      high |= line[i];
    }
    return (high & HIGHS) == 0;
  }

  /** Reads up to the next {@code \n} into {@link #line}; its length, or -1 at the end. */
  private int readLine() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (bufferPos == bufferEnd) {
        bufferEnd = in.read(buffer);
        bufferPos = 0;
        if (bufferEnd <= 0) {
          bufferEnd = 0;
          return any ? length : -1;
        }
      }
      any = true;
      int start = bufferPos;
      int newline = newline(start);
      int stop = newline < 0 ? bufferEnd : newline;
      int n = stop - start;
      // A UTF-8 character is at most 4 bytes: past this many bytes the line is too long whatever
      // it holds; stop copying rather than hold a 3 GiB line.
      if (length + n > 4 * AuditJsonLines.MAX_LINE_CHARS + 4) {
        throw new CliIo.UsageException(tooLong(lineNumber + 1));
      }
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(buffer, start, line, length, n);
      length += n;
      if (newline >= 0) {
        bufferPos = newline + 1;
        return length;
      }
      bufferPos = bufferEnd;
    }
  }

  /** The line as text; a {@code MalformedInputException} when it is not UTF-8. */
  private String decode(int length) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(line, 0, length))
        .toString();
  }
}
