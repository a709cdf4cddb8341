package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.anchor.AnchorCheck;
import dev.cairn.core.anchor.Anchors;
import dev.cairn.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunked, parallel verifier of an export gives exactly the verdict, entry count, first bad
 * sequence and detail of the one-by-one reference ({@link AuditChainVerifier} over each line read
 * and parsed by Jackson in turn, as {@code cairn audit verify --file} did before), on intact and
 * tampered exports, in compact and canonical form, with chunk boundaries falling anywhere, and the
 * anchors' verdict from the entries each one records.
 */
class AuditExportVerifierTest {

  /** A small limit, so that over-long lines are cheap to write. */
  static final int MAX_LINE_CHARS = 4096;

  /** Chunk sizes: smaller than a line (every chunk grows), a line or two, a few lines, default. */
  static final int[] CHUNKS = {64, 1000, 3001, AuditExportVerifier.CHUNK};

  // The reference ------------------------------------------------------------------------------

  /**
   * The one-by-one reader: a line at a time, blank lines skipped, one {@code \r} before the {@code
   * \n} removed, a line longer than the limit or not UTF-8 refused; it reads line n + 1 before
   * entry n is checked, so a read failure stops it before the entry in front of it.
   */
  static final class ReferenceLines implements Iterator<JsonNode> {
    private final byte[] text;
    private int pos;
    private long lineNumber;
    private JsonNode next;

    ReferenceLines(byte[] text) {
      this.text = text;
      next = read();
    }

    private JsonNode read() {
      while (pos < text.length) {
        int nl = pos;
        while (nl < text.length && text[nl] != '\n') {
          nl++;
        }
        int end = nl > pos && text[nl - 1] == '\r' ? nl - 1 : nl;
        String line;
        try {
          line =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(text, pos, end - pos))
                  .toString();
        } catch (CharacterCodingException e) {
          throw new UncheckedIOException(e);
        }
        lineNumber++;
        pos = nl + 1;
        if (line.length() > MAX_LINE_CHARS) {
          throw new AuditExportVerifier.LineTooLongException(lineNumber);
        }
        if (!line.isBlank()) {
          try {
            return Json.parse(line);
          } catch (IOException e) {
            ObjectNode bad = Json.object();
            bad.put("unparseable_line", "invalid JSON");
            return bad;
          }
        }
      }
      return null;
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
      JsonNode n = next;
      next = read();
      return n;
    }
  }

  /** The reference's verdict and the log_hash it saw for each wanted sequence. */
  static AuditVerification reference(byte[] text, Set<Long> wanted, Map<Long, String> recorded) {
    Iterator<JsonNode> lines = new ReferenceLines(text);
    Iterator<JsonNode> observed =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return lines.hasNext();
          }

          @Override
          public JsonNode next() {
            JsonNode e = lines.next();
            record(EntryFacts.of(e), wanted, recorded);
            return e;
          }
        };
    return AuditChainVerifier.verify(observed);
  }

  static AuditVerification reference(byte[] text) {
    return reference(text, Set.of(), new HashMap<>());
  }

  /** What {@code cairn audit verify} records for the anchors (AnchorSources.recorder). */
  static void record(EntryFacts f, Set<Long> wanted, Map<Long, String> out) {
    long seq = f.sequence().orElse(-1);
    String hash = f.textualLogHash();
    if (wanted.contains(seq) && hash != null) {
      out.putIfAbsent(seq, hash);
    }
  }

  static AuditVerification fast(
      byte[] text, int threads, int chunk, Set<Long> wanted, Map<Long, String> recorded) {
    ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(text));
    return AuditExportVerifier.verify(
        in, threads, MAX_LINE_CHARS, wanted::contains, f -> record(f, wanted, recorded), chunk);
  }

  static AuditVerification fast(byte[] text, int threads, int chunk) {
    return fast(text, threads, chunk, Set.of(), new HashMap<>());
  }

  /** Same verdict as the reference, for 1, 2 and 4 threads and every chunk size. */
  static AuditVerification assertSame(byte[] text) {
    AuditVerification expected = reference(text);
    for (int chunk : CHUNKS) {
      for (int threads : new int[] {1, 2, 4}) {
        assertThat(fast(text, threads, chunk))
            .as("%d thread(s), chunks of %d bytes", threads, chunk)
            .isEqualTo(expected);
      }
    }
    return expected;
  }

  static AuditVerification assertSame(List<String> lines) {
    return assertSame(joined(lines));
  }

  static byte[] joined(List<String> lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append(l).append('\n'));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  // Exports ------------------------------------------------------------------------------------

  static List<String> export(int n, UnaryOperator<String> form) {
    List<String> lines = new ArrayList<>();
    for (ObjectNode e : AuditChainVerifierTest.chain(n)) {
      lines.add(form.apply(Json.compact(e)));
    }
    return lines;
  }

  static String canonical(String line) {
    try {
      return new String(
          dev.cairn.core.json.CanonicalJson.canonicalize(Json.parse(line)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 7, 31, 100})
  void verify_whenIntact_compactAndCanonical_sameAsReference(int n) {
    List<String> compact = export(n, UnaryOperator.identity());
    AuditVerification v = assertSame(compact);
    assertThat(v.valid()).isTrue();
    assertThat(v.entries()).isEqualTo(n);
    assertSame(export(n, AuditExportVerifierTest::canonical));
  }

  @Test
  void everyScannedLine_hashesAsTheReference() {
    AuditLineScanner scanner = new AuditLineScanner();
    for (String line : export(50, UnaryOperator.identity())) {
      EntryFacts.Computed fast = scanner.scan(line.getBytes(StandardCharsets.UTF_8));
      assertThat(fast).as("scanned: %s", line).isNotNull();
      try {
        EntryFacts ref = EntryFacts.of(Json.parse(line));
        assertThat(fast.contentHash()).isEqualTo(ref.contentHash());
        assertThat(fast.statedHash()).isEqualTo(ref.statedHash());
        assertThat(fast.link()).isEqualTo(ref.link());
        assertThat(fast.chainId()).isEqualTo(ref.chainId());
        assertThat(fast.sequence()).isEqualTo(ref.sequence());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A line scanned in place inside a buffer gives the facts of the same line scanned alone. */
  @Test
  void scanInPlace_sameFactsAsTheLineAlone() {
    AuditLineScanner alone = new AuditLineScanner();
    AuditLineScanner inPlace = new AuditLineScanner();
    byte[] text = joined(export(5, UnaryOperator.identity()));
    int from = 0;
    for (int i = 0; i < 5; i++) {
      int to = from;
      while (text[to] != '\n') {
        to++;
      }
      EntryFacts.Computed facts = alone.scan(java.util.Arrays.copyOfRange(text, from, to));
      assertThat(inPlace.scan(text, from, to)).isTrue();
      assertThat(inPlace.statedHashMatches()).isTrue();
      assertThat(inPlace.sequenceValue()).isEqualTo(facts.sequenceValue());
      assertThat(new String(text, inPlace.hashStart(), 64, StandardCharsets.US_ASCII))
          .isEqualTo(facts.statedHash())
          .isEqualTo(facts.contentHash());
      from = to + 1;
    }
  }

  // Tampering ----------------------------------------------------------------------------------

  /** Each kind of tampering, near the start, in the middle and at the end. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 9, 10, 11, 28})
  void verify_whenTampered_sameVerdictAndFirstBadSequence(int at) {
    int n = 30;
    // edited content
    List<String> edited = export(n, UnaryOperator.identity());
    edited.set(at, edited.get(at).replace("LeaseAcquired", "LeaseForged"));
    assertBroken(edited, AuditVerification.Reason.HASH_MISMATCH, at + 1);
    // deleted
    List<String> deleted = export(n, UnaryOperator.identity());
    deleted.remove(at);
    assertBroken(deleted, AuditVerification.Reason.SEQUENCE_GAP, at + 1);
    // swapped
    List<String> swapped = export(n, UnaryOperator.identity());
    Collections.swap(swapped, at, at + 1);
    assertBroken(swapped, AuditVerification.Reason.SEQUENCE_GAP, at + 1);
    // inserted (a copy of an earlier entry)
    List<String> inserted = export(n, UnaryOperator.identity());
    inserted.add(at, inserted.get(at - 1));
    assertBroken(inserted, AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER, at);
    // inserted (a forged entry, sealed, that takes the place of the next one)
    List<String> forged = export(n, UnaryOperator.identity());
    forged.add(at, rehashed(forged.get(at), e -> e.put("action", "OverrideApplied")));
    assertBroken(forged, AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER, at + 1);
    // a bad link, rehashed so that only the link is wrong
    List<String> relinked = export(n, UnaryOperator.identity());
    relinked.set(at, rehashed(relinked.get(at), e -> e.put("previous_log_hash", "a".repeat(64))));
    assertBroken(relinked, AuditVerification.Reason.BAD_LINK, at + 1);
    // a link in upper case: the same hash, not the same text
    List<String> upper = export(n, UnaryOperator.identity());
    upper.set(
        at,
        rehashed(
            upper.get(at),
            e -> e.put("previous_log_hash", e.get("previous_log_hash").asText().toUpperCase())));
    assertBroken(upper, AuditVerification.Reason.BAD_LINK, at + 1);
    // a log_hash that is not the content's
    List<String> misstated = export(n, UnaryOperator.identity());
    misstated.set(
        at,
        misstated
            .get(at)
            .replaceAll(
                "\"log_hash\":\"[0-9a-f]{64}\"", "\"log_hash\":\"" + "b".repeat(64) + "\""));
    assertBroken(misstated, AuditVerification.Reason.HASH_MISMATCH, at + 1);
    // another chain
    List<String> foreign = export(n, UnaryOperator.identity());
    foreign.set(at, rehashed(foreign.get(at), e -> e.put("chain_id", "other")));
    assertBroken(foreign, AuditVerification.Reason.WRONG_CHAIN, at + 1);
    // not JSON, and JSON of the wrong shape
    List<String> garbage = export(n, UnaryOperator.identity());
    garbage.set(at, "{\"sequence\": 1,");
    assertBroken(garbage, AuditVerification.Reason.MALFORMED_ENTRY, at + 1);
    List<String> shapeless = export(n, UnaryOperator.identity());
    shapeless.set(at, rehashed(shapeless.get(at), e -> e.put("sequence", "5")));
    assertBroken(shapeless, AuditVerification.Reason.MALFORMED_ENTRY, at + 1);
  }

  @Test
  void verify_whenFirstEntryTampered_sameVerdict() {
    List<String> lines = export(5, UnaryOperator.identity());
    lines.set(0, rehashed(lines.get(0), e -> e.put("previous_log_hash", "1".repeat(64))));
    assertBroken(lines, AuditVerification.Reason.BAD_LINK, 1);
    List<String> late = export(5, UnaryOperator.identity());
    late.remove(0);
    assertBroken(late, AuditVerification.Reason.SEQUENCE_GAP, 1);
  }

  private static void assertBroken(
      List<String> lines, AuditVerification.Reason reason, long firstBad) {
    AuditVerification expected = reference(joined(lines));
    assertThat(expected.reason()).isEqualTo(reason);
    assertThat(expected.firstBadSequence()).isEqualTo(firstBad);
    assertSame(lines);
  }

  private static String rehashed(String line, java.util.function.Consumer<ObjectNode> edit) {
    try {
      ObjectNode e = (ObjectNode) Json.parse(line);
      edit.accept(e);
      e.remove("log_hash");
      e.put("log_hash", AuditChain.logHash(e));
      return Json.compact(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Random tampering of random kinds at random places: always the reference's verdict. */
  @Test
  void verify_whenTamperedAtRandom_sameAsReference() {
    Random random = new Random(17);
    for (int round = 0; round < 60; round++) {
      int n = 2 + random.nextInt(40);
      List<String> lines =
          export(
              n,
              random.nextBoolean() ? UnaryOperator.identity() : AuditExportVerifierTest::canonical);
      int edits = 1 + random.nextInt(3);
      for (int k = 0; k < edits; k++) {
        int at = random.nextInt(lines.size());
        switch (random.nextInt(7)) {
          case 0 -> lines.set(at, lines.get(at).replace("candidate", "promoted"));
          case 1 -> lines.remove(at);
          case 2 -> Collections.swap(lines, at, random.nextInt(lines.size()));
          case 3 -> lines.add(at, lines.get(random.nextInt(lines.size())));
          case 4 ->
              lines.set(
                  at, rehashed(lines.get(at), e -> e.put("previous_log_hash", "0".repeat(64))));
          case 5 -> lines.add(at, "   ");
          default -> lines.set(at, lines.get(at) + "\r");
        }
        if (lines.isEmpty()) {
          lines.add("{}");
        }
      }
      assertSame(lines);
    }
  }

  // Anchors ------------------------------------------------------------------------------------

  /**
   * A bad anchor (a log_hash the chain never had, an anchor beyond the chain, one from another
   * chain) and a chain rewritten after anchoring: the entries the verifier records for the anchors
   * give the reference's anchor verdict.
   */
  @Test
  void anchors_whenAnchorOrChainTampered_sameAnchorVerdict() {
    List<ObjectNode> entries = AuditChainVerifierTest.chain(40);
    List<ObjectNode> anchors =
        List.of(
            anchor(entries.get(9), entries.get(9).path("log_hash").asText()),
            anchor(entries.get(19), "c".repeat(64)), // the bad anchor
            anchor(entries.get(29), entries.get(29).path("log_hash").asText()));
    List<String> lines = new ArrayList<>();
    entries.forEach(e -> lines.add(Json.compact(e)));
    AnchorCheck.Result onIntact = assertSameAnchors(joined(lines), anchors);
    assertThat(onIntact.disagreements())
        .extracting(AnchorCheck.Disagreement::reason, AnchorCheck.Disagreement::anchorSequence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AnchorCheck.Reason.LOG_HASH_MISMATCH, 20L));
    // The chain cut short after entry 25: the anchor at 30 is beyond it.
    AnchorCheck.Result onCut = assertSameAnchors(joined(lines.subList(0, 25)), anchors);
    assertThat(onCut.disagreements())
        .extracting(AnchorCheck.Disagreement::reason)
        .containsExactly(
            AnchorCheck.Reason.LOG_HASH_MISMATCH, AnchorCheck.Reason.ANCHOR_BEYOND_CHAIN);
    // An entry edited before the last anchor.
    List<String> edited = new ArrayList<>(lines);
    edited.set(14, edited.get(14).replace("LeaseAcquired", "LeaseForged"));
    AnchorCheck.Result onEdited = assertSameAnchors(joined(edited), anchors);
    assertThat(onEdited.valid()).isFalse();
    // The chain recomputed from entry 5 on: every hash after it differs from the anchors'.
    List<String> rewritten = new ArrayList<>(lines.subList(0, 5));
    String previous = entries.get(4).path("log_hash").asText();
    for (int i = 5; i < 40; i++) {
      ObjectNode e = entries.get(i).deepCopy();
      e.put("action", "Rewritten");
      e.put("previous_log_hash", previous);
      e.remove("log_hash");
      previous = AuditChain.logHash(e);
      e.put("log_hash", previous);
      rewritten.add(Json.compact(e));
    }
    AnchorCheck.Result onRewritten = assertSameAnchors(joined(rewritten), anchors);
    assertThat(onRewritten.disagreements())
        .extracting(AnchorCheck.Disagreement::reason)
        .containsOnly(AnchorCheck.Reason.LOG_HASH_MISMATCH);
    assertThat(onRewritten.disagreements()).hasSize(3);
  }

  private static ObjectNode anchor(ObjectNode entry, String logHash) {
    ObjectNode a = Json.object();
    a.put("schema_version", "1").put("kind", "anchor").put("chain_id", "test");
    long seq = entry.path("sequence").asLong();
    a.put("sequence", seq).put("chain_depth", seq);
    a.put("log_hash", logHash);
    a.put("object_key", Anchors.key("test", seq));
    return Anchors.seal(a);
  }

  private static AnchorCheck.Result assertSameAnchors(byte[] text, List<ObjectNode> anchors) {
    Set<Long> wanted = new java.util.HashSet<>();
    anchors.forEach(a -> wanted.add(a.path("sequence").asLong()));
    Map<Long, String> expectedHashes = new HashMap<>();
    AuditVerification expected = reference(text, wanted, expectedHashes);
    AnchorCheck.Result expectedResult =
        AnchorCheck.check("test", expectedHashes, expected, anchors);
    for (int chunk : CHUNKS) {
      for (int threads : new int[] {1, 2}) {
        Map<Long, String> hashes = new HashMap<>();
        AuditVerification v = fast(text, threads, chunk, wanted, hashes);
        assertThat(v).isEqualTo(expected);
        assertThat(hashes).isEqualTo(expectedHashes);
        assertThat(AnchorCheck.check("test", hashes, v, anchors)).isEqualTo(expectedResult);
      }
    }
    return expectedResult;
  }

  // Lines outside the scanner's subset, and the reader's rules -----------------------------------

  /** Lines the scanner leaves to Jackson still verify the same: every fallback route. */
  @Test
  void linesOutsideTheScannersSubset_fallBackWithTheSameResult() {
    List<UnaryOperator<ObjectNode>> edits =
        List.of(
            e -> ((ObjectNode) e.get("details")).put("note", "caf\u00e9 \u2603 \ud83d\ude00"),
            e -> ((ObjectNode) e.get("details")).put("esc", "tab\t \"q\" back\\ ctl\u0001 slash/"),
            e -> e.put("fraction", 1.5),
            e -> e.put("big", 1L << 60),
            e -> e.put("negative", -42),
            e -> e.set("deep", nest(40)),
            e -> e.putArray("list").add(1).add("two").addNull().add(true).addObject());
    Random random = new Random(7);
    for (UnaryOperator<ObjectNode> edit : edits) {
      List<String> lines = sealedWith(40, edit);
      assertThat(assertSame(lines).valid()).isTrue();
      // and tampered somewhere
      int at = 1 + random.nextInt(38);
      lines.set(at, lines.get(at).replace("\"status\":\"candidate\"", "\"status\":\"promoted\""));
      assertThat(assertSame(lines).valid()).isFalse();
    }
    // Raw JSON the scanner refuses on sight: escapes of non-ASCII, whitespace, reordered keys.
    List<String> lines = sealedWith(10, UnaryOperator.identity());
    lines.set(2, lines.get(2).replace("\",\"", "\" , \"").replace("\":", "\" :\t"));
    lines.set(3, lines.get(3).replace("LeaseAcquired", "Lease\\u0041cquired"));
    lines.set(4, canonical(lines.get(4)));
    assertThat(assertSame(lines).valid()).isTrue();
    lines.set(5, lines.get(5).replace("\"chain_id\"", "\"chain_id\":\"x\",\"chain_id\""));
    assertSame(lines);
  }

  @Test
  void chainIdOutsideAscii_sameAsReference() {
    List<String> lines = sealedWith(12, e -> e.put("chain_id", "ch\u00e2ine"));
    assertThat(assertSame(lines).valid()).isTrue();
    lines.set(7, rehashed(lines.get(7), e -> e.put("chain_id", "chaine")));
    assertThat(assertSame(lines).reason()).isEqualTo(AuditVerification.Reason.WRONG_CHAIN);
  }

  private static ObjectNode nest(int depth) {
    ObjectNode root = Json.object();
    ObjectNode o = root;
    for (int i = 0; i < depth; i++) {
      o = o.putObject("n");
    }
    return root;
  }

  /** A chain whose entries carry extra content, sealed properly. */
  private static List<String> sealedWith(int n, UnaryOperator<ObjectNode> edit) {
    List<String> lines = new ArrayList<>();
    String previous = AuditChain.GENESIS_HASH;
    for (ObjectNode e : AuditChainVerifierTest.chain(n)) {
      edit.apply(e);
      e.put("previous_log_hash", previous);
      e.remove("log_hash");
      String hash = AuditChain.logHash(e);
      e.put("log_hash", hash);
      previous = hash;
      lines.add(Json.compact(e));
    }
    return lines;
  }

  @Test
  void blankLines_crlf_andNoFinalNewline_sameAsReference() {
    List<String> lines = export(12, UnaryOperator.identity());
    StringBuilder b = new StringBuilder("\n \t\n");
    for (int i = 0; i < lines.size(); i++) {
      b.append(lines.get(i)).append(i % 3 == 0 ? "\r\n" : "\n");
      if (i % 4 == 1) {
        b.append("\u001c \r\n\n");
      }
    }
    byte[] crlf = b.toString().getBytes(StandardCharsets.UTF_8);
    assertThat(assertSame(crlf).entries()).isEqualTo(12);
    String unterminated = String.join("\n", lines);
    assertThat(assertSame(unterminated.getBytes(StandardCharsets.UTF_8)).valid()).isTrue();
    assertThat(assertSame((unterminated + "\r").getBytes(StandardCharsets.UTF_8)).valid()).isTrue();
    assertThat(assertSame(new byte[0]).entries()).isZero();
    assertThat(assertSame("\n\n  \n".getBytes(StandardCharsets.UTF_8)).entries()).isZero();
  }

  /**
   * A line too long or not UTF-8 stops the read where the one-by-one reader stopped: an entry
   * broken before the line in front of it is reported; otherwise the read fails.
   */
  @ParameterizedTest
  @ValueSource(strings = {"long", "utf8"})
  void unreadableLine_afterABrokenEntry_reportsTheEntry_else_throws(String kind) {
    List<String> lines = export(20, UnaryOperator.identity());
    lines.set(5, lines.get(5).replace("LeaseAcquired", "LeaseForged"));
    for (int at : new int[] {0, 5, 6, 7, 19, 20}) {
      byte[] text = withUnreadableLine(lines, at, kind);
      Throwable expectedFailure = null;
      AuditVerification expected = null;
      try {
        expected = reference(text);
      } catch (RuntimeException e) {
        expectedFailure = e;
      }
      for (int chunk : CHUNKS) {
        for (int threads : new int[] {1, 2}) {
          if (expectedFailure == null) {
            assertThat(fast(text, threads, chunk))
                .as("unreadable line at %d", at)
                .isEqualTo(expected);
          } else {
            Throwable thrown = catchThrowable(() -> fast(text, threads, chunk));
            assertThat(thrown)
                .as("unreadable line at %d", at)
                .isInstanceOf(expectedFailure.getClass());
            assertThat(thrown.getMessage()).isEqualTo(expectedFailure.getMessage());
          }
        }
      }
      assertThat(expectedFailure == null).as("a verdict for a line at %d", at).isEqualTo(at > 6);
    }
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static byte[] withUnreadableLine(List<String> lines, int at, String kind) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i <= lines.size(); i++) {
      if (i == at) {
        if (kind.equals("long")) {
          out.writeBytes("x".repeat(MAX_LINE_CHARS + 1).getBytes(StandardCharsets.US_ASCII));
        } else {
          out.writeBytes(new byte[] {'{', (byte) 0xc3, '(', '}'});
        }
        out.write('\n');
      }
      if (i < lines.size()) {
        out.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    }
    return out.toByteArray();
  }

  @Test
  void lineBeyondFourBytesPerCharacter_isRefusedWithoutReadingItWhole() {
    byte[] huge = new byte[4 * MAX_LINE_CHARS + 100];
    java.util.Arrays.fill(huge, (byte) 'x');
    byte[] text =
        (export(3, UnaryOperator.identity()).get(0) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text);
    out.writeBytes(huge);
    assertThatThrownBy(() -> fast(out.toByteArray(), 2, 64))
        .isInstanceOf(AuditExportVerifier.LineTooLongException.class)
        .extracting(e -> ((AuditExportVerifier.LineTooLongException) e).lineNumber())
        .isEqualTo(2L);
  }
}
