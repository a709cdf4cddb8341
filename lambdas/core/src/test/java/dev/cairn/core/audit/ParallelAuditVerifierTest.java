package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parallel, byte-level verifier gives exactly the verdict, entry count, first bad sequence and
 * detail of the one-by-one reference ({@link AuditChainVerifier} over each line parsed by Jackson),
 * on intact and tampered exports, in compact and in canonical form, across batch boundaries.
 */
class ParallelAuditVerifierTest {

  /** What `cairn audit verify --file` did before: every line parsed, then the reference check. */
  static AuditVerification reference(List<String> lines) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : lines) {
      try {
        nodes.add(Json.parse(l));
      } catch (IOException e) {
        ObjectNode bad = Json.object();
        bad.put("unparseable_line", "invalid JSON");
        nodes.add(bad);
      }
    }
    return AuditChainVerifier.verify(nodes.iterator());
  }

  static AuditVerification parallel(List<String> lines, int threads) {
    Iterator<byte[]> it = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).iterator();
    return ParallelAuditVerifier.verify(it, threads, f -> {}, BATCH);
  }

  /** Small batches, so that a few dozen entries cross several batch boundaries. */
  static final int BATCH = 16;

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

  static void assertSame(List<String> lines) {
    AuditVerification expected = reference(lines);
    for (int threads : new int[] {1, 2, 4}) {
      assertThat(parallel(lines, threads)).as("%d thread(s)", threads).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, BATCH, BATCH + 1, 100})
  void intact_compactAndCanonical_sameAsReference(int n) {
    List<String> compact = export(n, UnaryOperator.identity());
    assertSame(compact);
    assertThat(parallel(compact, 2).valid()).isTrue();
    assertSame(export(n, ParallelAuditVerifierTest::canonical));
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

  /** Each kind of tampering, at a batch boundary and inside one. */
  @ParameterizedTest
  @ValueSource(ints = {3, BATCH - 1, BATCH, BATCH + 1})
  void tampered_sameVerdictAndFirstBadSequence(int at) {
    int n = BATCH + 10;
    // edited content
    List<String> edited = export(n, UnaryOperator.identity());
    edited.set(at, edited.get(at).replace("LeaseAcquired", "LeaseForged"));
    assertBroken(edited, AuditVerification.Reason.HASH_MISMATCH);
    // deleted
    List<String> deleted = export(n, UnaryOperator.identity());
    deleted.remove(at);
    assertBroken(deleted, AuditVerification.Reason.SEQUENCE_GAP);
    // swapped
    List<String> swapped = export(n, UnaryOperator.identity());
    Collections.swap(swapped, at, at + 1);
    assertBroken(swapped, AuditVerification.Reason.SEQUENCE_GAP);
    // inserted (a copy of an earlier entry)
    List<String> inserted = export(n, UnaryOperator.identity());
    inserted.add(at, inserted.get(at - 1));
    assertBroken(inserted, AuditVerification.Reason.SEQUENCE_OUT_OF_ORDER);
    // a bad link, rehashed so that only the link is wrong
    List<String> relinked = export(n, UnaryOperator.identity());
    relinked.set(at, rehashed(relinked.get(at), e -> e.put("previous_log_hash", "a".repeat(64))));
    assertBroken(relinked, AuditVerification.Reason.BAD_LINK);
    // another chain
    List<String> foreign = export(n, UnaryOperator.identity());
    foreign.set(at, rehashed(foreign.get(at), e -> e.put("chain_id", "other")));
    assertBroken(foreign, AuditVerification.Reason.WRONG_CHAIN);
    // not JSON, and JSON of the wrong shape
    List<String> garbage = export(n, UnaryOperator.identity());
    garbage.set(at, "{\"sequence\": 1,");
    assertBroken(garbage, AuditVerification.Reason.MALFORMED_ENTRY);
    List<String> shapeless = export(n, UnaryOperator.identity());
    shapeless.set(at, rehashed(shapeless.get(at), e -> e.put("sequence", "5")));
    assertBroken(shapeless, AuditVerification.Reason.MALFORMED_ENTRY);
  }

  private static void assertBroken(List<String> lines, AuditVerification.Reason reason) {
    AuditVerification expected = reference(lines);
    assertThat(expected.reason()).isEqualTo(reason);
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
      assertSame(lines);
      assertThat(reference(lines).valid()).isTrue();
      // and tampered somewhere
      int at = 1 + random.nextInt(38);
      lines.set(at, lines.get(at).replace("\"status\":\"candidate\"", "\"status\":\"promoted\""));
      assertSame(lines);
      assertThat(reference(lines).valid()).isFalse();
    }
    // Raw JSON the scanner refuses on sight: escapes of non-ASCII, whitespace, reordered keys.
    List<String> lines = sealedWith(10, UnaryOperator.identity());
    lines.set(2, lines.get(2).replace("\",\"", "\" , \"").replace("\":", "\" :\t"));
    lines.set(3, lines.get(3).replace("LeaseAcquired", "Lease\\u0041cquired"));
    lines.set(4, canonical(lines.get(4)));
    assertSame(lines);
    assertThat(reference(lines).valid()).isTrue();
    lines.set(5, lines.get(5).replace("\"chain_id\"", "\"chain_id\":\"x\",\"chain_id\""));
    assertSame(lines);
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

  /** A read error surfaces where the one-by-one reader meets it: after the entries before. */
  @Test
  void readFailure_afterABrokenEntry_reportsTheEntry_else_throws() {
    List<String> lines = export(20, UnaryOperator.identity());
    lines.set(5, lines.get(5).replace("LeaseAcquired", "LeaseForged"));
    // Reading fails at line 8: entry 6 (index 5) was checked before, so the verdict stands.
    assertThat(
            ParallelAuditVerifier.verify(failingAt(lines, 7), 2, f -> {}, BATCH).firstBadSequence())
        .isEqualTo(6);
    // Reading fails at line 6: the reference never checks entry 6 (it reads line 7 first).
    assertThatThrownBy(() -> ParallelAuditVerifier.verify(failingAt(lines, 6), 2, f -> {}, BATCH))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> ParallelAuditVerifier.verify(failingAt(lines, 0), 2, f -> {}, BATCH))
        .isInstanceOf(UncheckedIOException.class);
  }

  private static Iterator<byte[]> failingAt(List<String> lines, int index) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        if (i == index) {
          throw new UncheckedIOException(new IOException("line too long"));
        }
        return i < lines.size();
      }

      @Override
      public byte[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return lines.get(i++).getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
