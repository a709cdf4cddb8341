package dev.cairn.core.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The skeleton of a compact audit line, learned from one line the full scanner accepted: its bytes
 * with every string's text and every number cut out (the "slots"), and a program that writes the
 * RFC 8785 form of any line of the same skeleton from that line's own bytes. The writer emits
 * entries of a handful of skeletons (same keys, same nesting, in the same order), so most lines are
 * matched against one, and their canonical form is a few copies of runs of the line: no member is
 * sorted, no key compared, no value rewritten.
 *
 * <p>A line matches when its bytes are the skeleton's between the slots, each string slot is a run
 * of printable ASCII with no {@code "} or backslash (so it is its own canonical form), and each
 * number slot is an integer the full scanner writes as it reads (no leading zero, magnitude below
 * 2^53). Such a line has the structure, the keys and the key order of the line the skeleton was
 * learned from, so the full scanner would sort its members the same way and write the same bytes;
 * {@link AuditLineScanner} checks that once, on the learning line, before it uses a skeleton. A
 * line that does not match goes through the full scanner. Not thread-safe: one per scanner.
 */
final class LineShape {

  private static final byte STRING = 0;
  private static final byte NUMBER = 1;
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long SPACES = 0x2020202020202020L;

  /** The bytes between the slots: one more than the slots. */
  private final byte[][] fragments;

  private final byte[] kinds;
  private final int chainSlot;
  private final int sequenceSlot;
  private final int linkSlot;
  private final int hashSlot;

  /**
   * The canonical form, four ints an operation: copy the line from {@code bounds[a] + i} to {@code
   * bounds[b] + j}; or, when {@code a} is -1, {@code j} bytes of {@link #constants} from {@code i}.
   */
  private final int[] program;

  private final byte[] constants;

  /** Where the matched line's slots are: its start, then each slot's start and end. */
  private final int[] bounds;

  private long sequence;

  private LineShape(
      byte[][] fragments, byte[] kinds, int[] members, int[] program, byte[] constants) {
    this.fragments = fragments;
    this.kinds = kinds;
    this.chainSlot = members[0];
    this.sequenceSlot = members[1];
    this.linkSlot = members[2];
    this.hashSlot = members[3];
    this.program = program;
    this.constants = constants;
    this.bounds = new int[2 * kinds.length + 1];
  }

  /**
   * The end of the line at {@code from} if it has this skeleton, or -1; the matched line's slots
   * and sequence are held until the next match. The skeleton's bytes are compared only before
   * {@code limit}; a string slot stops at the first byte that is not plain, so the line's {@code
   * \r} or {@code \n} (at or before {@code limit}, or the array's end) stops it. A skeleton never
   * holds an end of line, so a match never runs into the next line.
   */
  int match(byte[] in, int from, int limit) {
    int p = from;
    int[] b = bounds;
    b[0] = from;
    byte[][] f = fragments;
    int slots = kinds.length;
    for (int s = 0; s < slots; s++) {
      if (!fragment(in, p, limit, f[s])) {
        return -1;
      }
      p += f[s].length;
      b[2 * s + 1] = p;
      p = kinds[s] == STRING ? plainRun(in, p) : number(in, p, limit, s == sequenceSlot);
      if (p < 0) {
        return -1;
      }
      b[2 * s + 2] = p;
    }
    byte[] last = f[slots];
    return fragment(in, p, limit, last) ? p + last.length : -1;
  }

  /** Writes the matched line's canonical form into {@code out}; its length. */
  int write(byte[] in, byte[] out) {
    int[] op = program;
    int[] b = bounds;
    int n = 0;
    for (int i = 0; i < op.length; i += 4) {
      int length;
      if (op[i] < 0) {
        length = op[i + 3];
        System.arraycopy(constants, op[i + 1], out, n, length);
      } else {
        int start = b[op[i]] + op[i + 1];
        length = b[op[i + 2]] + op[i + 3] - start;
        System.arraycopy(in, start, out, n, length);
      }
      n += length;
    }
    return n;
  }

  long sequence() {
    return sequence;
  }

  int chainStart() {
    return bounds[2 * chainSlot + 1];
  }

  int chainEnd() {
    return bounds[2 * chainSlot + 2];
  }

  int hashStart() {
    return bounds[2 * hashSlot + 1];
  }

  int hashEnd() {
    return bounds[2 * hashSlot + 2];
  }

  int linkStart() {
    return bounds[2 * linkSlot + 1];
  }

  int linkEnd() {
    return bounds[2 * linkSlot + 2];
  }

  /** {@code in[p, p + f.length)} is {@code f}, within the line. */
  private static boolean fragment(byte[] in, int p, int to, byte[] f) {
    int n = f.length;
    if (p + n > to) {
      return false;
    }
    if (n < 8) {
      for (int i = 0; i < n; i++) {
        if (in[p + i] != f[i]) {
          return false;
        }
      }
      return true;
    }
    // Eight bytes at a time; the last word overlaps the one before it.
    int i = 0;
    for (; i < n - 8; i += 8) {
      if ((long) LONGS.get(in, p + i) != (long) LONGS.get(f, i)) {
        return false;
      }
    }
    return (long) LONGS.get(in, p + n - 8) == (long) LONGS.get(f, n - 8);
  }

  /**
   * The end of a run of bytes that stand for themselves in a string (printable ASCII but {@code "}
   * and backslash); the next fragment starts with the closing quote, so a run that stops at
   * anything else fails there.
   */
  private static int plainRun(byte[] in, int from) {
    int i = from;
    int limit = in.length - 8;
    while (i <= limit) {
      long x = (long) LONGS.get(in, i);
      long q = x ^ QUOTES;
      long s = x ^ BACKSLASHES;
      // As AuditLineScanner.plainRun: only the lowest set high bit of the union is exact. A byte
      // below 0x20 or from 0x80 sets its high bit in (x - SPACES) | x; a borrow that sets one in a
      // printable byte comes from a lower byte below 0x20, already marked.
      long special = (((q - ONES) & ~q) | ((s - ONES) & ~s) | (x - SPACES) | x) & HIGHS;
      if (special != 0) {
        return i + (Long.numberOfTrailingZeros(special) >>> 3);
      }
      i += 8;
    }
    byte c;
    while (i < in.length && (c = in[i]) >= 0x20 && c != '"' && c != '\\') {
      i++;
    }
    return i;
  }

  /**
   * The end of an integer the full scanner accepts as it stands (and, for {@code sequence}, as the
   * chain's sequence: no sign), or -1.
   */
  private int number(byte[] in, int from, int to, boolean isSequence) {
    int p = from;
    if (p < to && in[p] == '-') {
      if (isSequence) {
        return -1;
      }
      p++;
    }
    int digits = p;
    long v = 0;
    while (p < to && in[p] >= '0' && in[p] <= '9') {
      v = v * 10 + (in[p] - '0');
      p++;
      if (p - digits > 16) {
        return -1;
      }
    }
    int n = p - digits;
    if (n == 0 || (in[digits] == '0' && (n > 1 || digits > from)) || v > MAX_SAFE_INTEGER) {
      return -1;
    }
    if (isSequence) {
      sequence = v;
    }
    return p;
  }

  // Learning ------------------------------------------------------------------------------------

  /**
   * The skeleton of {@code in[from, to)}, a line the full scanner accepted, or null when the line
   * is not compact (whitespace between tokens) or holds a string that is not plain ASCII: such
   * lines keep the full scanner.
   */
  static LineShape learn(byte[] in, int from, int to) {
    Learner l = new Learner(in, from, to);
    try {
      Node root = l.value(0);
      if (!(root instanceof Obj top) || l.pos != to) {
        return null;
      }
      int[] members = {-1, -1, -1, -1};
      Member hash = null;
      for (Member m : top.members) {
        String key = m.key(in);
        int slot = m.value instanceof Scalar s ? s.slot : -1;
        switch (key) {
          case "chain_id" -> members[0] = l.stringSlot(slot);
          case "sequence" -> members[1] = l.numberSlot(slot);
          case "previous_log_hash" -> members[2] = l.stringSlot(slot);
          case "log_hash" -> {
            members[3] = l.stringSlot(slot);
            hash = m;
          }
          default -> {}
        }
      }
      for (int m : members) {
        if (m < 0) {
          return null;
        }
      }
      Program p = new Program(in, l.boundsOf());
      p.object(top, hash);
      return new LineShape(
          l.fragments(), l.kinds(), members, p.operations(), p.constants.toByteArray());
    } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
      return null;
    }
  }

  private sealed interface Node permits Obj, Arr, Scalar {
    int start();

    int end();
  }

  /** An object: {@code start} at its brace, {@code end} after its closing brace. */
  private record Obj(int start, int end, List<Member> members) implements Node {}

  private record Arr(int start, int end, List<Node> items) implements Node {}

  /** A string (quotes included), number or literal; {@code slot} -1 for a literal. */
  private record Scalar(int start, int end, int slot) implements Node {}

  /** {@code start} at the key's opening quote; the value follows the colon. */
  private record Member(int start, int keyStart, int keyEnd, Node value) {
    String key(byte[] in) {
      return new String(
          in, keyStart, keyEnd - keyStart, java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** A strict parser of compact JSON in the scanner's subset, noting the slots. */
  private static final class Learner {
    private final byte[] in;
    private final int from;
    private final int end;
    private int pos;
    private final List<int[]> slots = new ArrayList<>();
    private final List<Byte> kinds = new ArrayList<>();

    Learner(byte[] in, int from, int to) {
      this.in = in;
      this.from = from;
      this.end = to;
      this.pos = from;
    }

    Node value(int depth) {
      if (depth > AuditLineScanner.MAX_DEPTH || pos >= end) {
        throw new IllegalArgumentException();
      }
      byte b = in[pos];
      return switch (b) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case '"' -> string();
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> number();
      };
    }

    private Obj object(int depth) {
      int start = pos++;
      List<Member> members = new ArrayList<>();
      if (in[pos] == '}') {
        pos++;
        return new Obj(start, pos, members);
      }
      while (true) {
        int memberStart = expect('"');
        int keyStart = pos;
        while (plain(in[pos])) {
          pos++;
        }
        int keyEnd = pos;
        expect('"');
        expect(':');
        for (Member m : members) {
          if (Arrays.equals(in, m.keyStart, m.keyEnd, in, keyStart, keyEnd)) {
            throw new IllegalArgumentException();
          }
        }
        members.add(new Member(memberStart, keyStart, keyEnd, value(depth + 1)));
        if (in[pos] == '}') {
          pos++;
          return new Obj(start, pos, members);
        }
        expect(',');
      }
    }

    private Arr array(int depth) {
      int start = pos++;
      List<Node> items = new ArrayList<>();
      if (in[pos] == ']') {
        pos++;
        return new Arr(start, pos, items);
      }
      while (true) {
        items.add(value(depth + 1));
        if (in[pos] == ']') {
          pos++;
          return new Arr(start, pos, items);
        }
        expect(',');
      }
    }

    private Scalar string() {
      int start = pos++;
      int textStart = pos;
      while (plain(in[pos])) {
        pos++;
      }
      int textEnd = pos;
      expect('"');
      return new Scalar(start, pos, slot(textStart, textEnd, STRING));
    }

    private Scalar number() {
      int start = pos;
      if (in[pos] == '-') {
        pos++;
      }
      while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      if (pos == start || in[pos - 1] == '-') {
        throw new IllegalArgumentException();
      }
      return new Scalar(start, pos, slot(start, pos, NUMBER));
    }

    private Scalar literal(String word) {
      int start = pos;
      for (int i = 0; i < word.length(); i++) {
        if (in[pos++] != word.charAt(i)) {
          throw new IllegalArgumentException();
        }
      }
      return new Scalar(start, pos, -1);
    }

    private int slot(int start, int end, byte kind) {
      slots.add(new int[] {start, end});
      kinds.add(kind);
      return slots.size() - 1;
    }

    private int expect(char c) {
      if (pos >= end || in[pos] != c) {
        throw new IllegalArgumentException();
      }
      return pos++;
    }

    private static boolean plain(byte b) {
      return b >= 0x20 && b != '"' && b != '\\';
    }

    int stringSlot(int slot) {
      if (slot < 0 || kinds.get(slot) != STRING) {
        throw new IllegalArgumentException();
      }
      return slot;
    }

    int numberSlot(int slot) {
      if (slot < 0 || kinds.get(slot) != NUMBER || in[slots.get(slot)[0]] == '-') {
        throw new IllegalArgumentException();
      }
      return slot;
    }

    /** The learning line's bounds, as {@link LineShape#bounds} holds a matched line's. */
    int[] boundsOf() {
      int[] b = new int[2 * slots.size() + 1];
      b[0] = from;
      for (int s = 0; s < slots.size(); s++) {
        b[2 * s + 1] = slots.get(s)[0];
        b[2 * s + 2] = slots.get(s)[1];
      }
      return b;
    }

    byte[][] fragments() {
      byte[][] f = new byte[slots.size() + 1][];
      int p = from;
      for (int s = 0; s < slots.size(); s++) {
        f[s] = Arrays.copyOfRange(in, p, slots.get(s)[0]);
        p = slots.get(s)[1];
      }
      f[slots.size()] = Arrays.copyOfRange(in, p, end);
      return f;
    }

    byte[] kinds() {
      byte[] k = new byte[kinds.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = kinds.get(i);
      }
      return k;
    }
  }

  /**
   * The canonical form of the learning line as runs of that line (merged where they touch) and the
   * few bytes that are not where the line has them (a comma before a member that moved first).
   */
  private static final class Program {
    private final byte[] line;
    private final int[] bounds;
    private final List<int[]> runs = new ArrayList<>(); // {from, to} in the line, or {-1, at, n}
    private final java.io.ByteArrayOutputStream constants = new java.io.ByteArrayOutputStream();

    Program(byte[] line, int[] bounds) {
      this.line = line;
      this.bounds = bounds;
    }

    /**
     * RFC 8785 section 3.2.3: members sorted by key (plain ASCII: byte order), {@code skip} out.
     */
    void object(Obj o, Member skip) {
      run(o.start, o.start + 1);
      List<Member> sorted = new ArrayList<>(o.members);
      sorted.remove(skip);
      sorted.sort(
          (a, b) -> Arrays.compareUnsigned(line, a.keyStart, a.keyEnd, line, b.keyStart, b.keyEnd));
      boolean first = true;
      for (Member m : sorted) {
        if (!first) {
          if (o.members.get(0) != m) {
            run(m.start - 1, m.start); // the comma before it in the line
          } else {
            constant((byte) ',');
          }
        }
        first = false;
        run(m.start, m.keyEnd + 2); // "key":
        value(m.value);
      }
      run(o.end - 1, o.end);
    }

    private void value(Node n) {
      if (n instanceof Obj o) {
        object(o, null);
      } else if (n instanceof Arr a) {
        run(a.start, a.start + 1);
        for (int i = 0; i < a.items.size(); i++) {
          Node item = a.items.get(i);
          if (i > 0) {
            run(item.start() - 1, item.start());
          }
          value(item);
        }
        run(a.end - 1, a.end);
      } else {
        run(n.start(), n.end());
      }
    }

    private void run(int from, int to) {
      if (!runs.isEmpty()) {
        int[] last = runs.get(runs.size() - 1);
        if (last[0] >= 0 && last[1] == from) {
          last[1] = to;
          return;
        }
      }
      runs.add(new int[] {from, to});
    }

    private void constant(byte b) {
      if (!runs.isEmpty() && runs.get(runs.size() - 1)[0] < 0) {
        runs.get(runs.size() - 1)[2]++;
      } else {
        runs.add(new int[] {-1, constants.size(), 1});
      }
      constants.write(b);
    }

    int[] operations() {
      int[] op = new int[4 * runs.size()];
      for (int i = 0; i < runs.size(); i++) {
        int[] r = runs.get(i);
        if (r[0] < 0) {
          op[4 * i] = -1;
          op[4 * i + 1] = r[1];
          op[4 * i + 3] = r[2];
        } else {
          int a = bound(r[0]);
          int b = bound(r[1]);
          op[4 * i] = a;
          op[4 * i + 1] = r[0] - bounds[a];
          op[4 * i + 2] = b;
          op[4 * i + 3] = r[1] - bounds[b];
        }
      }
      return op;
    }

    /**
     * The last bound at or before {@code p}: a run's ends are never inside a slot, so {@code p} is
     * that bound, or a fixed distance after a slot's end (inside a fragment).
     */
    private int bound(int p) {
      int b = 0;
      for (int i = 1; i < bounds.length; i++) {
        if (bounds[i] <= p) {
          b = i;
        }
      }
      if (b % 2 == 1 && bounds[b] != p) {
        throw new IllegalArgumentException(); // inside a slot: cannot happen, never trusted
      }
      return b;
    }
  }
}
