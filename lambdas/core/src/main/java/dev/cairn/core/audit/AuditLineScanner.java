package dev.cairn.core.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads an audit export line's {@link EntryFacts} straight from its bytes: the RFC 8785 form of the
 * entry without {@code log_hash} is written while the line is scanned, and hashed, with no tree and
 * no strings but the four members the chain check reads. It covers what Cairn writes: ASCII text,
 * the escapes {@code \" \\ \/ \b \f \n \r \t} and {@code \u0000}–{@code \u007f}, integers of
 * magnitude below 2^53, nesting up to {@link #MAX_DEPTH}. For anything else (other bytes, a
 * fraction, a duplicate key, a member of the wrong type, text that is not JSON) {@link #scan}
 * returns null and the caller parses the line with Jackson, the reference; {@code
 * AuditExportVerifierTest} pins that both give the same facts. Not thread-safe: one per thread.
 *
 * <p>{@link #scan(byte[], int, int)} reads a line in place inside a larger buffer and keeps its
 * facts in this scanner (no object per line), for {@link AuditExportVerifier}; the byte after the
 * line must be its {@code \r} or {@code \n}, which stops every loop that could run past the line.
 *
 * <p>A line of a skeleton learned from an earlier line ({@link LineShape}) is not scanned member by
 * member: its canonical form is copied from runs of its own bytes. A skeleton is kept only if it
 * gives the line it was learned from exactly this scanner's bytes and facts.
 */
public final class AuditLineScanner {

  /** Deeper lines go to the reference parser. */
  static final int MAX_DEPTH = 32;

  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  // Each byte's two lower-case hex digits, the first in the low byte (a little-endian pair).
  private static final int[] HEX_PAIRS = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      HEX_PAIRS[b] = HEX[b >> 4] | HEX[b & 0xf] << 8;
    }
  }

  private static final byte[] LOG_HASH = bytes("log_hash");
  private static final byte[] CHAIN_ID = bytes("chain_id");
  private static final byte[] SEQUENCE = bytes("sequence");
  private static final byte[] PREVIOUS = bytes("previous_log_hash");
  private static final long LOG_HASH_PREFIX = prefix(LOG_HASH);
  private static final long CHAIN_ID_PREFIX = prefix(CHAIN_ID);
  private static final long SEQUENCE_PREFIX = prefix(SEQUENCE);
  private static final long PREVIOUS_PREFIX = prefix(PREVIOUS);

  /** Thrown inside the scan when the line is outside the covered subset. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  private final MessageDigest sha256;
  private byte[] in;
  private int pos;
  private int end;
  private byte[] out = new byte[8192];
  private int outLen;
  private byte[] spare = new byte[8192];
  // Per nesting depth, the members of the object being read (reused: no array per object).
  private final int[][] memberStack = new int[MAX_DEPTH + 1][];
  // Per nesting depth, each member's first eight key bytes as a big-endian number: most keys
  // differ there, so sorting compares numbers.
  private final long[][] prefixStack = new long[MAX_DEPTH + 1][];
  private int[] order = new int[32];
  private final byte[] digest = new byte[32];

  // Skeletons learned from earlier lines (LineShape), most recently used first.
  static final int SHAPES = 16;
  private final LineShape[] shapes = new LineShape[SHAPES];
  private int shapeCount;
  private int untilNextLesson;
  private int lessonsMissed;
  static final int WINDOW = 64;
  static final int REST = 16384;
  private int window;
  private int windowHits;
  private int resting;

  // The four top-level members, as byte ranges of the input (strings without their quotes).
  private int chainStart;
  private int chainEnd;
  private int hashStart;
  private int hashEnd;
  private int linkStart;
  private int linkEnd;
  private long sequence;
  private boolean sawSequence;

  public AuditLineScanner() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }

  /**
   * The facts of {@code line} (one line, its end of line removed), or null: parse it with Jackson.
   */
  public EntryFacts.Computed scan(byte[] line) {
    boolean scanned;
    try {
      // The whole array is the line: a scan that runs off its end stops there, never in other
      // bytes.
      scanned = scan(line, 0, line.length);
    } catch (ArrayIndexOutOfBoundsException e) {
      scanned = false;
    }
    if (!scanned) {
      return null;
    }
    String stated = ascii(hashStart, hashEnd);
    return new EntryFacts.Computed(
        sequence,
        ascii(chainStart, chainEnd),
        stated,
        dev.cairn.core.integrity.Sha256.isHex64(stated),
        HexFormat.of().formatHex(digest),
        ascii(linkStart, linkEnd));
  }

  /**
   * Scans {@code in[from, to)} and hashes its canonical form; false when the line is outside the
   * covered subset (parse it with Jackson). The facts stay in this scanner until the next scan.
   * Unless the line is the whole array, {@code in[to]} must be a {@code \r} or {@code \n}.
   */
  boolean scan(byte[] in, int from, int to) {
    return scan(in, from, to, false);
  }

  /** As {@link #scan(byte[], int, int)}; {@code triedKnown}: {@link #scanKnown} just missed it. */
  boolean scan(byte[] in, int from, int to, boolean triedKnown) {
    this.in = in;
    if (out.length < to - from) {
      out = new byte[Math.max(to - from, 2 * out.length)];
      spare = new byte[out.length];
    }
    if (!triedKnown && knownShape(in, from, to) == to) {
      return true;
    }
    if (!canonicalize(in, from, to)) {
      return false;
    }
    learn(in, from, to);
    return hashed();
  }

  /**
   * Scans and hashes the line at {@code from} if it has a skeleton learned from an earlier line
   * (compact, printable ASCII, never blank): the line's end, its facts held as {@link #scan} holds
   * them; or -1, and nothing is held. {@code limit} is as in {@link LineShape#match}: the caller
   * need not have found the line's end.
   */
  int scanKnown(byte[] in, int from, int limit) {
    this.in = in;
    return knownShape(in, from, limit);
  }

  /**
   * Matches the learned skeletons, most recently used first; the line's end, or -1. Skeletons are
   * tried only while they pay: when fewer than half the lines of a window of {@link #WINDOW}
   * matched one (an export of more skeletons than are kept, or of a new one on every line), they
   * are neither tried nor learned for the next {@link #REST} lines, then tried again.
   */
  private int knownShape(byte[] in, int from, int limit) {
    if (resting > 0) {
      resting--;
      return -1;
    }
    if (++window == WINDOW) {
      if (2 * windowHits < WINDOW) {
        resting = REST;
      }
      window = 0;
      windowHits = 0;
    }
    LineShape[] s = shapes;
    for (int i = 0; i < shapeCount; i++) {
      LineShape shape = s[i];
      int end = shape.match(in, from, limit);
      if (end >= 0) {
        if (i > 0) {
          System.arraycopy(s, 0, s, 1, i);
          s[0] = shape;
        }
        if (out.length < end - from) {
          out = new byte[Math.max(end - from, 2 * out.length)];
          spare = new byte[out.length];
        }
        outLen = shape.write(in, out);
        chainStart = shape.chainStart();
        chainEnd = shape.chainEnd();
        hashStart = shape.hashStart();
        hashEnd = shape.hashEnd();
        linkStart = shape.linkStart();
        linkEnd = shape.linkEnd();
        sequence = shape.sequence();
        sawSequence = true;
        hashed();
        windowHits++;
        return end;
      }
    }
    return -1;
  }

  /**
   * Learns the skeleton of a line just canonicalized, and keeps it only if it gives this line the
   * same bytes and facts as the full scan did. A line that teaches nothing (not compact, not plain
   * ASCII) makes the next attempts rarer, so such exports do not pay for learning on every line.
   */
  private void learn(byte[] in, int from, int to) {
    if (resting > 0) {
      return;
    }
    if (untilNextLesson > 0) {
      untilNextLesson--;
      return;
    }
    LineShape shape = LineShape.learn(in, from, to);
    boolean same = false;
    if (shape != null && shape.match(in, from, to) == to) {
      try {
        int n = shape.write(in, spare);
        same =
            Arrays.equals(spare, 0, n, out, 0, outLen)
                && shape.chainStart() == chainStart
                && shape.chainEnd() == chainEnd
                && shape.hashStart() == hashStart
                && shape.hashEnd() == hashEnd
                && shape.linkStart() == linkStart
                && shape.linkEnd() == linkEnd
                && shape.sequence() == sequence;
      } catch (IndexOutOfBoundsException e) {
        same = false;
      }
    }
    if (!same) {
      lessonsMissed = Math.min(2 * lessonsMissed + 1, 1023);
      untilNextLesson = lessonsMissed;
      return;
    }
    lessonsMissed = 0;
    int keep = Math.min(shapeCount, SHAPES - 1);
    System.arraycopy(shapes, 0, shapes, 1, keep);
    shapes[0] = shape;
    shapeCount = keep + 1;
  }

  /** The full scan: writes the canonical form of {@code in[from, to)} into {@link #out}. */
  private boolean canonicalize(byte[] in, int from, int to) {
    pos = from;
    end = to;
    outLen = 0;
    chainStart = -1;
    hashStart = -1;
    linkStart = -1;
    sawSequence = false;
    try {
      skipWhitespace();
      if (pos >= end || in[pos] != '{') {
        return false;
      }
      object(0, true);
      skipWhitespace();
      if (pos != end || chainStart < 0 || hashStart < 0 || linkStart < 0 || !sawSequence) {
        return false;
      }
    } catch (Unsupported | ArrayIndexOutOfBoundsException e) {
      return false;
    }
    return true;
  }

  private boolean hashed() {
    sha256.update(out, 0, outLen);
    try {
      sha256.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest of 32 bytes", e);
    }
    return true;
  }

  /** The scanned line's {@code log_hash} is the lower-case hex of its content's hash. */
  boolean statedHashMatches() {
    if (hashEnd - hashStart != 64) {
      return false;
    }
    // Four digest bytes are eight hex digits: one word of the line against one built from pairs.
    for (int i = 0; i < 32; i += 4) {
      long expected =
          HEX_PAIRS[digest[i] & 0xff]
              | HEX_PAIRS[digest[i + 1] & 0xff] << 16
              | (long) HEX_PAIRS[digest[i + 2] & 0xff] << 32
              | (long) HEX_PAIRS[digest[i + 3] & 0xff] << 48;
      if ((long) LONGS.get(in, hashStart + 2 * i) != expected) {
        return false;
      }
    }
    return true;
  }

  long sequenceValue() {
    return sequence;
  }

  int chainStart() {
    return chainStart;
  }

  int chainEnd() {
    return chainEnd;
  }

  int hashStart() {
    return hashStart;
  }

  int linkStart() {
    return linkStart;
  }

  int linkEnd() {
    return linkEnd;
  }

  private String ascii(int from, int to) {
    return new String(in, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** An object at {@code pos}; members are written in key order (RFC 8785 section 3.2.3). */
  private void object(int depth, boolean top) {
    if (depth >= MAX_DEPTH) {
      throw UNSUPPORTED;
    }
    pos++; // '{'
    put((byte) '{');
    int regionStart = outLen;
    // Per member: key start and end in the input, member start and end in the output.
    int[] members = memberStack[depth];
    long[] prefixes = prefixStack[depth];
    if (members == null) {
      members = memberStack[depth] = new int[32];
      prefixes = prefixStack[depth] = new long[8];
    }
    int count = 0;
    skipWhitespace();
    if (in[pos] == '}') {
      pos++;
      put((byte) '}');
      return;
    }
    while (true) {
      skipWhitespace();
      if (in[pos] != '"') {
        throw UNSUPPORTED;
      }
      int keyStart = ++pos;
      // Keys compare by their bytes: only plain ASCII keys, no escapes.
      pos = plainRun(pos);
      if (in[pos] != '"') {
        throw UNSUPPORTED;
      }
      int keyEnd = pos++;
      long prefix = prefix(keyStart, keyEnd);
      skipWhitespace();
      if (in[pos++] != ':') {
        throw UNSUPPORTED;
      }
      skipWhitespace();
      boolean excluded = false;
      if (top) {
        excluded = topLevelMember(keyStart, keyEnd, prefix);
      }
      if (excluded) {
        // log_hash: read, not written (the hash covers the entry without it).
        int save = outLen;
        value(depth);
        outLen = save;
      } else {
        if (count * 4 == members.length) {
          members = memberStack[depth] = Arrays.copyOf(members, members.length * 2);
          prefixes = prefixStack[depth] = Arrays.copyOf(prefixes, prefixes.length * 2);
        }
        if (outLen > regionStart) {
          put((byte) ',');
        }
        int memberStart = outLen;
        put((byte) '"');
        put(in, keyStart, keyEnd - keyStart);
        put((byte) '"');
        put((byte) ':');
        value(depth);
        members[count * 4] = keyStart;
        members[count * 4 + 1] = keyEnd;
        members[count * 4 + 2] = memberStart;
        members[count * 4 + 3] = outLen;
        prefixes[count] = prefix;
        count++;
      }
      skipWhitespace();
      byte b = in[pos++];
      if (b == '}') {
        break;
      }
      if (b != ',') {
        throw UNSUPPORTED;
      }
    }
    order(members, prefixes, count, regionStart);
    put((byte) '}');
  }

  /** Notes a top-level member the chain check reads; true for {@code log_hash} (not hashed). */
  private boolean topLevelMember(int keyStart, int keyEnd, long prefix) {
    int length = keyEnd - keyStart;
    if (length == 8 && prefix == LOG_HASH_PREFIX) {
      if (hashStart >= 0) {
        throw UNSUPPORTED;
      }
      hashStart = plainString();
      hashEnd = pos - 1;
      pos = hashStart - 1; // written by value() like any string, then dropped
      return true;
    }
    if (length == 8 && prefix == CHAIN_ID_PREFIX) {
      chainStart = plainString();
      chainEnd = pos - 1;
      pos = chainStart - 1;
    } else if (length == PREVIOUS.length
        && prefix == PREVIOUS_PREFIX
        && is(keyStart, keyEnd, PREVIOUS)) {
      linkStart = plainString();
      linkEnd = pos - 1;
      pos = linkStart - 1;
    } else if (length == 8 && prefix == SEQUENCE_PREFIX) {
      int start = pos;
      long v = 0;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        v = v * 10 + (in[pos] - '0');
        pos++;
        if (pos - start > 16) {
          throw UNSUPPORTED;
        }
      }
      if (pos == start || (in[start] == '0' && pos - start > 1) || v > MAX_SAFE_INTEGER) {
        throw UNSUPPORTED;
      }
      sequence = v;
      sawSequence = true;
      pos = start;
    }
    return false;
  }

  /** A string with no escapes at {@code pos}: returns its first byte; {@code pos} after it. */
  private int plainString() {
    if (in[pos] != '"') {
      throw UNSUPPORTED;
    }
    int start = ++pos;
    while (in[pos] != '"') {
      if (in[pos] == '\\' || in[pos] < 0x20) {
        throw UNSUPPORTED;
      }
      pos++;
    }
    pos++;
    return start;
  }

  /** The first eight bytes of {@code in[from, to)}, big-endian, zero-padded. */
  private long prefix(int from, int to) {
    int n = Math.min(8, to - from);
    if (from + 8 <= in.length) {
      return n == 0 ? 0 : (long) LONGS_BIG_ENDIAN.get(in, from) & (-1L << (8 * (8 - n)));
    }
    long p = 0;
    for (int i = 0; i < n; i++) {
      p = p << 8 | (in[from + i] & 0xff);
    }
    return n == 0 ? 0 : p << (8 * (8 - n));
  }

  private static long prefix(byte[] name) {
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = p << 8 | (i < name.length ? name[i] & 0xff : 0);
    }
    return p;
  }

  private boolean is(int start, int endExclusive, byte[] name) {
    return Arrays.equals(in, start, endExclusive, name, 0, name.length);
  }

  /** Rewrites the members written since {@code regionStart} in key order; refuses duplicates. */
  private void order(int[] m, long[] p, int count, int regionStart) {
    boolean sorted = true;
    for (int i = 1; i < count; i++) {
      int c = compareKeys(m, p, i - 1, i);
      if (c == 0) {
        throw UNSUPPORTED; // a duplicate key: Jackson's strict parser refuses the line
      }
      sorted &= c < 0;
    }
    if (sorted) {
      return;
    }
    // Insertion sort: an entry's objects have a handful of members.
    if (order.length < count) {
      order = new int[Math.max(count, order.length * 2)];
    }
    int[] order = this.order;
    for (int i = 0; i < count; i++) {
      int j = i;
      while (j > 0) {
        int c = compareKeys(m, p, order[j - 1], i);
        if (c == 0) {
          throw UNSUPPORTED;
        }
        if (c < 0) {
          break;
        }
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    int length = outLen - regionStart;
    System.arraycopy(out, regionStart, spare, 0, length);
    outLen = regionStart;
    for (int i = 0; i < count; i++) {
      int k = order[i];
      if (i > 0) {
        put((byte) ',');
      }
      put(spare, m[k * 4 + 2] - regionStart, m[k * 4 + 3] - m[k * 4 + 2]);
    }
  }

  /** Keys are plain ASCII here, so byte order is RFC 8785's UTF-16 code-unit order. */
  private int compareKeys(int[] m, long[] p, int a, int b) {
    // Zero-padded prefixes of ASCII keys (no key holds a NUL) order as the keys do.
    int c = Long.compare(p[a], p[b]);
    if (c != 0) {
      return c;
    }
    return Arrays.compareUnsigned(in, m[a * 4], m[a * 4 + 1], in, m[b * 4], m[b * 4 + 1]);
  }

  private void value(int depth) {
    byte b = in[pos];
    switch (b) {
      case '{' -> object(depth + 1, false);
      case '[' -> array(depth + 1);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void array(int depth) {
    if (depth >= MAX_DEPTH) {
      throw UNSUPPORTED;
    }
    pos++;
    put((byte) '[');
    skipWhitespace();
    if (in[pos] == ']') {
      pos++;
      put((byte) ']');
      return;
    }
    while (true) {
      skipWhitespace();
      value(depth);
      skipWhitespace();
      byte b = in[pos++];
      if (b == ']') {
        break;
      }
      if (b != ',') {
        throw UNSUPPORTED;
      }
      put((byte) ',');
    }
    put((byte) ']');
  }

  /** A string, rewritten with RFC 8785's escapes (section 3.2.2.2). */
  private void string() {
    pos++;
    put((byte) '"');
    while (true) {
      // A run of bytes that stand for themselves is copied in one go.
      int run = pos;
      pos = plainRun(pos);
      byte b = in[pos];
      if (pos > run) {
        put(in, run, pos - run);
      }
      pos++;
      if (b == '"') {
        break;
      }
      if (b != '\\') {
        throw UNSUPPORTED; // raw control characters (and bytes >= 0x80, negative here)
      }
      byte e = in[pos++];
      int c =
          switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> throw UNSUPPORTED;
          };
      if (c >= 0x80) {
        throw UNSUPPORTED;
      }
      canonicalChar(c);
    }
    put((byte) '"');
  }

  private static final VarHandle LONGS_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * The index of the first byte from {@code from} that is not copied as it stands inside a string:
   * {@code "}, a backslash, a control character or a byte of 0x80 and above. Eight bytes at a time
   * while eight remain in the array (most of an entry's bytes are in strings).
   */
  private int plainRun(int from) {
    int i = from;
    int limit = in.length - 8;
    while (i <= limit) {
      long x = (long) LONGS.get(in, i);
      long q = x ^ QUOTES;
      long s = x ^ BACKSLASHES;
      // Each term's lowest set high bit marks the first such byte exactly; bits above it may be
      // borrows, so only the lowest set bit of the union is read.
      long special = ((q - ONES) & ~q) | ((s - ONES) & ~s) | ((x - SPACES) & ~x) | x;
      special &= HIGHS;
      if (special != 0) {
        return i + (Long.numberOfTrailingZeros(special) >>> 3);
      }
      i += 8;
    }
    byte b;
    while ((b = in[i]) >= 0x20 && b != '"' && b != '\\') {
      i++;
    }
    return i;
  }

  private int hex4() {
    int c = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in[pos++], 16);
      if (d < 0) {
        throw UNSUPPORTED;
      }
      c = c * 16 + d;
    }
    return c;
  }

  private void canonicalChar(int c) {
    switch (c) {
      case '"' -> put2('\\', '"');
      case '\\' -> put2('\\', '\\');
      case '\b' -> put2('\\', 'b');
      case '\f' -> put2('\\', 'f');
      case '\n' -> put2('\\', 'n');
      case '\r' -> put2('\\', 'r');
      case '\t' -> put2('\\', 't');
      default -> {
        if (c < 0x20) {
          put2('\\', 'u');
          put2('0', '0');
          put(HEX[c >> 4]);
          put(HEX[c & 0xf]);
        } else {
          put((byte) c);
        }
      }
    }
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw UNSUPPORTED;
      }
    }
    put(in, pos, word.length());
    pos += word.length();
  }

  /** An integer of magnitude below 2^53, written as it reads; anything else is unsupported. */
  private void number() {
    int start = pos;
    if (in[pos] == '-') {
      pos++;
    }
    int digits = pos;
    long v = 0;
    while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
      v = v * 10 + (in[pos] - '0');
      pos++;
      if (pos - digits > 16) {
        throw UNSUPPORTED;
      }
    }
    int n = pos - digits;
    boolean negative = digits > start;
    if (n == 0
        || (in[digits] == '0' && (n > 1 || negative))
        || v > MAX_SAFE_INTEGER
        || (pos < end && (in[pos] == '.' || in[pos] == 'e' || in[pos] == 'E'))) {
      throw UNSUPPORTED;
    }
    put(in, start, pos - start);
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return;
      }
      pos++;
    }
  }

  // The canonical form is never longer than the line (escapes only shrink, whitespace goes), and
  // scan() sizes the output to the line: no capacity check per byte.
  private void put(byte b) {
    out[outLen++] = b;
  }

  private void put2(char a, char b) {
    put((byte) a);
    put((byte) b);
  }

  private void put(byte[] src, int from, int length) {
    System.arraycopy(src, from, out, outLen, length);
    outLen += length;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
