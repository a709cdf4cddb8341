package dev.cairn.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * {@link AuditChainVerifier} over an audit export ({@code cairn audit verify --file}), fast: the
 * file is read in chunks of whole lines into a few reused buffers; each chunk is scanned, hashed
 * and linked on a pool thread, in place ({@link AuditLineScanner#scan(byte[], int, int)}: no
 * object, no string per entry); then the chunks are checked in file order on the calling thread.
 *
 * <p>What a pool thread may decide alone is only what holds whatever came before its chunk: an
 * entry's stated {@code log_hash} is its content's hash, and an entry names the chain, the sequence
 * and the {@code log_hash} of the entry just before it in the same chunk. The ordered check accepts
 * an entry on those facts only when the entry before it was accepted; any other entry (the first of
 * a chunk, a line the scanner leaves to Jackson, any entry that fails a fact) goes through {@link
 * AuditChainVerifier.Chain#next} itself, from the same state. So the verdict, the entry count, the
 * first bad sequence and the detail are the one-by-one verifier's, on the same lines.
 *
 * <p>Lines are read as {@code cairn audit export} writes them and as the one-by-one reader read
 * them: blank lines are skipped, one {@code \r} before the {@code \n} is removed, a line of more
 * than {@code maxLineChars} characters is refused ({@link LineTooLongException}), and a line that
 * is not UTF-8 fails the read ({@link UncheckedIOException}). A read failure surfaces where the
 * one-by-one reader met it: every entry is checked only once the next line has been read.
 *
 * <p>Memory holds at most {@code 2 × threads + 3} chunks of {@link #CHUNK} bytes (a longer line
 * grows one buffer, up to the line limit), whatever the length of the file.
 */
public final class AuditExportVerifier {

  /** Bytes read per chunk: a few thousand entries, enough to keep every thread busy. */
  static final int CHUNK = 1 << 20;

  /** Room after a chunk's bytes: an end-of-line sentinel and eight bytes for word reads. */
  private static final int SLACK = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private static final byte SELF_HASHED = 1;
  private static final byte FOLLOWS = 2;

  private AuditExportVerifier() {}

  /** A line longer than the limit; lines are counted from 1, blank ones included. */
  public static final class LineTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long lineNumber;

    LineTooLongException(long lineNumber) {
      super("line " + lineNumber + " is longer than the limit for an audit entry");
      this.lineNumber = lineNumber;
    }

    public long lineNumber() {
      return lineNumber;
    }
  }

  /**
   * Verifies the export read from {@code in} with {@code threads} threads. {@code observe} sees, in
   * sequence order, each entry the check accepts whose sequence {@code wanted} names, and each
   * entry the check reads whole (the entry it stops at among them).
   */
  public static AuditVerification verify(
      ReadableByteChannel in,
      int threads,
      int maxLineChars,
      LongPredicate wanted,
      Consumer<EntryFacts> observe) {
    return verify(in, threads, maxLineChars, wanted, observe, CHUNK);
  }

  /** As {@link #verify(ReadableByteChannel, int, int, LongPredicate, Consumer)}, chunk size set. */
  static AuditVerification verify(
      ReadableByteChannel in,
      int threads,
      int maxLineChars,
      LongPredicate wanted,
      Consumer<EntryFacts> observe,
      int chunkSize) {
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, daemon()) : null;
    try {
      Reader reader = new Reader(in, chunkSize, 4L * maxLineChars + 4);
      Check check = new Check(wanted, observe);
      ArrayDeque<Chunk> inFlight = new ArrayDeque<>();
      int ahead = pool == null ? 1 : 2 * threads + 1;
      while (true) {
        while (!reader.done() && inFlight.size() < ahead) {
          Chunk c = reader.next(check.free());
          if (pool == null) {
            c.scan(maxLineChars);
          } else {
            c.scanning = pool.submit(() -> c.scan(maxLineChars));
          }
          inFlight.add(c);
        }
        Chunk c = inFlight.poll();
        if (c == null) {
          return check.end();
        }
        c.await();
        AuditVerification broken = check.chunk(c);
        if (broken != null) {
          return broken;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** Splits the input into chunks that end at a line's end (the last one at the input's end). */
  private static final class Reader {
    private final ReadableByteChannel in;
    private final int chunkSize;
    private final long maxLineBytes;
    private byte[] carry = new byte[0];
    private int carried;
    private boolean eof;
    private boolean done;

    Reader(ReadableByteChannel in, int chunkSize, long maxLineBytes) {
      this.in = in;
      this.chunkSize = chunkSize;
      this.maxLineBytes = maxLineBytes;
    }

    boolean done() {
      return done;
    }

    Chunk next(Chunk reused) throws IOException {
      Chunk c = reused != null ? reused : new Chunk();
      c.reset();
      int capacity = Math.max(chunkSize, carried) + SLACK;
      if (c.buffer == null || c.buffer.length < capacity || c.buffer.length > chunkSize + SLACK) {
        c.buffer = new byte[capacity];
      }
      System.arraycopy(carry, 0, c.buffer, 0, carried);
      int length = carried;
      int searched = 0;
      while (true) {
        length = fill(c, length);
        int lastNewline = lastNewline(c.buffer, searched, length);
        if (lastNewline >= 0) {
          c.length = lastNewline + 1;
          keep(c.buffer, c.length, length);
          done = eof && carried == 0;
          c.last = done;
          return c;
        }
        if (eof) {
          // The last line has no end of line: the sentinel the scanner relies on is added.
          c.length = length;
          c.buffer[length] = '\n';
          carried = 0;
          done = true;
          c.last = true;
          return c;
        }
        searched = length;
        if (length > maxLineBytes) {
          // A UTF-8 character is at most 4 bytes: past this many bytes the line is too long
          // whatever it holds; the rest of it is not read.
          c.length = 0;
          c.overlong = true;
          carried = 0;
          done = true;
          c.last = true;
          return c;
        }
        // One line fills the buffer: it grows, up to the line limit.
        c.buffer =
            Arrays.copyOf(c.buffer, (int) Math.min(maxLineBytes + 1 + SLACK, 2L * c.buffer.length));
      }
    }

    /** Reads until the buffer is full (bar the slack) or the input ends; the bytes held. */
    private int fill(Chunk c, int length) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(c.buffer, length, c.buffer.length - SLACK - length);
      while (b.hasRemaining() && !eof) {
        if (in.read(b) < 0) {
          eof = true;
        }
      }
      return b.position();
    }

    private void keep(byte[] buffer, int from, int to) {
      carried = to - from;
      if (carry.length < carried) {
        carry = new byte[Math.max(carried, 2 * carry.length)];
      }
      System.arraycopy(buffer, from, carry, 0, carried);
    }

    private static int lastNewline(byte[] b, int from, int to) {
      for (int i = to - 1; i >= from; i--) {
        if (b[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }

  /** One chunk's lines and what a pool thread found in them. */
  private static final class Chunk {
    byte[] buffer;
    int length;
    boolean last;
    boolean overlong;
    Future<?> scanning;

    /** Lines in the chunk, blank ones included (for line numbers). */
    int lines;

    /** Entries (non-blank lines) and, per entry, its bytes and facts. */
    int entries;

    int[] start = new int[1024];
    int[] end = new int[1024];
    long[] sequence = new long[1024];
    int[] chainStart = new int[1024];
    int[] chainEnd = new int[1024];
    int[] hashStart = new int[1024];
    int[] linkStart = new int[1024];
    int[] linkEnd = new int[1024];
    byte[] flags = new byte[1024];

    /** A line that cannot be read: its index in the chunk and why; entries before it are read. */
    int failedLine = -1;

    IOException failure;

    void reset() {
      length = 0;
      last = false;
      overlong = false;
      scanning = null;
      lines = 0;
      entries = 0;
      failedLine = -1;
      failure = null;
    }

    void await() {
      if (scanning == null) {
        return;
      }
      try {
        scanning.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while verifying", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new IllegalStateException(e.getCause());
      }
    }

    private static final ThreadLocal<AuditLineScanner> SCANNER =
        ThreadLocal.withInitial(AuditLineScanner::new);

    /** Splits the lines, applies the reader's rules, and scans each entry. */
    void scan(int maxLineChars) {
      if (overlong) {
        failedLine = 0;
        return;
      }
      AuditLineScanner scanner = SCANNER.get();
      byte[] b = buffer;
      int p = 0;
      while (p < length) {
        // A line of a skeleton learned earlier is found, checked and hashed in one pass; its end
        // (the byte after its closing brace) must then be the end of the line.
        int known = scanner.scanKnown(b, p, length);
        if (known >= 0 && known - p <= maxLineChars) {
          int next = b[known] == '\n' ? known + 1 : -1;
          if (b[known] == '\r' && b[known + 1] == '\n') {
            next = known + 2;
          }
          if (next > 0) {
            lines++;
            scanned(scanner, p, known);
            p = next;
            continue;
          }
        }
        int lineEnd = newline(b, p, length);
        int next = lineEnd + 1;
        boolean ascii = (highBits & HIGHS) == 0;
        if (lineEnd > p && b[lineEnd - 1] == '\r') {
          lineEnd--;
        }
        int chars = lineEnd - p;
        boolean blank;
        if (ascii) {
          blank = blank(b, p, lineEnd);
        } else {
          try {
            String text = decode(b, p, lineEnd);
            chars = text.length();
            blank = text.isBlank();
          } catch (CharacterCodingException e) {
            failedLine = lines;
            failure = e;
            return;
          }
        }
        if (chars > maxLineChars) {
          failedLine = lines;
          overlong = true;
          return;
        }
        lines++;
        if (!blank) {
          entry(scanner, p, lineEnd, known < 0);
        }
        p = next;
      }
    }

    private void entry(AuditLineScanner scanner, int from, int to, boolean triedKnown) {
      int i = entries++;
      if (i == start.length) {
        grow();
      }
      start[i] = from;
      end[i] = to;
      flags[i] = scanner.scan(buffer, from, to, triedKnown) ? facts(scanner, i) : 0;
    }

    /** Records the entry {@code scanner} has just scanned and hashed. */
    private void scanned(AuditLineScanner scanner, int from, int to) {
      int i = entries++;
      if (i == start.length) {
        grow();
      }
      start[i] = from;
      end[i] = to;
      flags[i] = facts(scanner, i);
    }

    private byte facts(AuditLineScanner scanner, int i) {
      byte f = 0;
      if (scanner.statedHashMatches()) {
        f = SELF_HASHED;
        sequence[i] = scanner.sequenceValue();
        chainStart[i] = scanner.chainStart();
        chainEnd[i] = scanner.chainEnd();
        hashStart[i] = scanner.hashStart();
        linkStart[i] = scanner.linkStart();
        linkEnd[i] = scanner.linkEnd();
        if (i > 0
            && (flags[i - 1] & SELF_HASHED) != 0
            && sequence[i] == sequence[i - 1] + 1
            && linkEnd[i] - linkStart[i] == 64
            && Arrays.equals(
                buffer, linkStart[i], linkEnd[i], buffer, hashStart[i - 1], hashStart[i - 1] + 64)
            && Arrays.equals(
                buffer, chainStart[i], chainEnd[i], buffer, chainStart[i - 1], chainEnd[i - 1])) {
          f |= FOLLOWS;
        }
      }
      return f;
    }

    private void grow() {
      int n = start.length * 2;
      start = Arrays.copyOf(start, n);
      end = Arrays.copyOf(end, n);
      sequence = Arrays.copyOf(sequence, n);
      chainStart = Arrays.copyOf(chainStart, n);
      chainEnd = Arrays.copyOf(chainEnd, n);
      hashStart = Arrays.copyOf(hashStart, n);
      linkStart = Arrays.copyOf(linkStart, n);
      linkEnd = Arrays.copyOf(linkEnd, n);
      flags = Arrays.copyOf(flags, n);
    }

    byte[] line(int i) {
      return Arrays.copyOfRange(buffer, start[i], end[i]);
    }

    /** The high bits of the bytes before the newline {@link #newline} found last. */
    private long highBits;

    /**
     * The index of the first {@code \n} in {@code b[from, to)}, or {@code to}; notes in {@link
     * #highBits} whether a byte before it is 0x80 or above. Eight bytes at a time: this reads every
     * byte of the file.
     */
    private int newline(byte[] b, int from, int to) {
      long high = 0;
      int i = from;
      for (; i + 8 <= to; i += 8) {
        long x = (long) LONGS.get(b, i);
        long y = x ^ NEWLINES;
        long found = (y - ONES) & ~y & HIGHS;
        if (found != 0) {
          int k = Long.numberOfTrailingZeros(found) >>> 3;
          highBits = high | (x & ((1L << (8 * k)) - 1));
          return i + k;
        }
        high |= x;
      }
      for (; i < to; i++) {
        if (b[i] == '\n') {
          break;
        }
        high |= b[i];
      }
      highBits = high;
      return i;
    }

    /** Blank as {@link String#isBlank} reads ASCII: space, tab to carriage return, 0x1c-0x1f. */
    private static boolean blank(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (!(c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f))) {
          return false;
        }
      }
      return true;
    }

    private static String decode(byte[] b, int from, int to) throws CharacterCodingException {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, from, to - from))
          .toString();
    }
  }

  /**
   * The ordered check: the one-by-one verifier's state, and its {@link AuditChainVerifier.Chain}
   * for every entry not accepted on its chunk's facts. An entry is checked only once the line after
   * it has been read, as the one-by-one reader did.
   */
  private static final class Check {
    private final LongPredicate wanted;
    private final Consumer<EntryFacts> observe;
    private final AuditLineScanner scanner = new AuditLineScanner();
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();

    // The state after the last accepted entry.
    private long count;
    private final byte[] previousHash = AuditChain.GENESIS_HASH.getBytes(StandardCharsets.US_ASCII);
    private String previousHashText = AuditChain.GENESIS_HASH;
    private String chainId;
    private byte[] chainIdBytes;

    // The entry read but not yet checked, and the chunk that holds it.
    private Chunk pendingChunk;
    private int pending = -1;
    private long linesBefore;

    Check(LongPredicate wanted, Consumer<EntryFacts> observe) {
      this.wanted = wanted;
      this.observe = observe;
    }

    Chunk free() {
      return free.poll();
    }

    AuditVerification chunk(Chunk c) {
      for (int i = 0; i < c.entries; i++) {
        if (pendingChunk != null) {
          AuditVerification broken = check(pendingChunk, pending);
          if (broken != null) {
            return broken;
          }
          if (pendingChunk != c) {
            free.add(pendingChunk);
          }
        }
        pendingChunk = c;
        pending = i;
      }
      if (c.failedLine >= 0) {
        long line = linesBefore + c.failedLine + 1;
        if (c.failure != null) {
          throw new UncheckedIOException(c.failure);
        }
        throw new LineTooLongException(line);
      }
      linesBefore += c.lines;
      if (pendingChunk != c) {
        free.add(c);
      }
      return null;
    }

    AuditVerification end() {
      if (pendingChunk != null) {
        AuditVerification broken = check(pendingChunk, pending);
        if (broken != null) {
          return broken;
        }
      }
      return AuditVerification.ok(count, previousHashText());
    }

    private AuditVerification check(Chunk c, int i) {
      byte f = c.flags[i];
      boolean accepted =
          (f & FOLLOWS) != 0 && i > 0 || (f & SELF_HASHED) != 0 && holdsOnItsOwn(c, i);
      if (!accepted) {
        return slow(c, i);
      }
      count++;
      System.arraycopy(c.buffer, c.hashStart[i], previousHash, 0, 64);
      previousHashText = null;
      if (wanted.test(c.sequence[i])) {
        String stated = ascii(c.buffer, c.hashStart[i], c.hashStart[i] + 64);
        observe.accept(
            new EntryFacts.Computed(
                c.sequence[i],
                chainId,
                stated,
                true,
                stated,
                ascii(c.buffer, c.linkStart[i], c.linkEnd[i])));
      }
      return null;
    }

    /** A scanned, self-hashed entry that follows the state: Chain.next would accept it. */
    private boolean holdsOnItsOwn(Chunk c, int i) {
      if (c.sequence[i] != count + 1
          || c.linkEnd[i] - c.linkStart[i] != 64
          || !Arrays.equals(c.buffer, c.linkStart[i], c.linkEnd[i], previousHash, 0, 64)) {
        return false;
      }
      if (chainId == null) {
        chainIdBytes = Arrays.copyOfRange(c.buffer, c.chainStart[i], c.chainEnd[i]);
        chainId = new String(chainIdBytes, StandardCharsets.ISO_8859_1);
        return true;
      }
      return chainIdBytes != null
          && Arrays.equals(
              c.buffer, c.chainStart[i], c.chainEnd[i], chainIdBytes, 0, chainIdBytes.length);
    }

    /** The entry read whole and checked by the one-by-one verifier's own step. */
    private AuditVerification slow(Chunk c, int i) {
      byte[] line = c.line(i);
      EntryFacts facts = scanner.scan(line);
      if (facts == null) {
        facts = parsed(line);
      }
      observe.accept(facts);
      AuditChainVerifier.Chain chain =
          AuditChainVerifier.Chain.resume(count, previousHashText(), chainId);
      AuditVerification broken = chain.next(facts);
      if (broken != null) {
        return broken;
      }
      count = chain.count();
      previousHashText = chain.previousHash();
      // An accepted log_hash is 64 lower-case hex digits.
      byte[] h = previousHashText.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(h, 0, previousHash, 0, 64);
      chainId = chain.chainId();
      boolean asciiId = chainId.chars().allMatch(ch -> ch < 0x80);
      chainIdBytes = asciiId ? chainId.getBytes(StandardCharsets.US_ASCII) : null;
      return null;
    }

    private String previousHashText() {
      if (previousHashText == null) {
        previousHashText = new String(previousHash, StandardCharsets.ISO_8859_1);
      }
      return previousHashText;
    }

    private static String ascii(byte[] b, int from, int to) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }

  /** The reference path: the line as a tree. */
  private static EntryFacts parsed(byte[] line) {
    JsonNode node;
    try {
      node = Json.parse(new String(line, StandardCharsets.UTF_8));
    } catch (IOException e) {
      ObjectNode bad = Json.object();
      bad.put("unparseable_line", "invalid JSON");
      node = bad;
    }
    return EntryFacts.of(node);
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "audit-verify");
      t.setDaemon(true);
      return t;
    };
  }
}
