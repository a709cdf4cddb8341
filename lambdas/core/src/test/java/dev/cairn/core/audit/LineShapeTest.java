package dev.cairn.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A line matched against a skeleton learned from an earlier line gives the facts and the verdict of
 * the full scan and of the one-by-one reference: lines in the writer's order and in canonical
 * order; lines of the same meaning written otherwise (members reordered, escapes, numbers such as
 * {@code 1.0} or {@code 1e0}, whitespace, non-ASCII), which must not match and fall back; and each
 * kind of tampering with chunk boundaries falling before, inside and after every line.
 */
class LineShapeTest {

  private static byte[] bytes(String line) {
    return line.getBytes(StandardCharsets.UTF_8);
  }

  /** The facts of {@code line} from a scanner that learned nothing before it: the full scan. */
  private static EntryFacts.Computed fullScan(String line) {
    return new AuditLineScanner().scan(bytes(line));
  }

  private static void assertSameFacts(EntryFacts.Computed actual, EntryFacts.Computed expected) {
    if (expected == null) {
      assertThat(actual).isNull();
      return;
    }
    assertThat(actual).isNotNull();
    assertThat(actual.contentHash()).isEqualTo(expected.contentHash());
    assertThat(actual.statedHash()).isEqualTo(expected.statedHash());
    assertThat(actual.chainId()).isEqualTo(expected.chainId());
    assertThat(actual.link()).isEqualTo(expected.link());
    assertThat(actual.sequence()).isEqualTo(expected.sequence());
  }

  private static void assertHashesAsJackson(String line, EntryFacts.Computed facts) {
    try {
      EntryFacts reference = EntryFacts.of(Json.parse(line));
      assertThat(facts.contentHash()).as(line).isEqualTo(reference.contentHash());
      assertThat(facts.link()).isEqualTo(reference.link());
      assertThat(facts.chainId()).isEqualTo(reference.chainId());
      assertThat(facts.sequence()).isEqualTo(reference.sequence());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void writersOrder_afterTheFirstLine_everyLineMatchesItsSkeleton_withTheFullScansFacts() {
    AuditLineScanner scanner = new AuditLineScanner();
    List<String> lines = AuditExportVerifierTest.export(20, UnaryOperator.identity());
    scanner.scan(bytes(lines.get(0))); // learns the skeleton
    for (String line : lines.subList(1, lines.size())) {
      byte[] b = bytes(line);
      assertThat(scanner.scanKnown(b, 0, b.length)).as("matched: %s", line).isEqualTo(b.length);
      EntryFacts.Computed known = scanner.scan(b);
      assertSameFacts(known, fullScan(line));
      assertHashesAsJackson(line, known);
      assertThat(known.statedHash()).isEqualTo(known.contentHash());
    }
  }

  @Test
  void canonicalOrder_isLearnedAndMatchedToo() {
    AuditLineScanner scanner = new AuditLineScanner();
    List<String> lines = AuditExportVerifierTest.export(5, AuditExportVerifierTest::canonical);
    scanner.scan(bytes(lines.get(0)));
    for (String line : lines.subList(1, lines.size())) {
      byte[] b = bytes(line);
      assertThat(scanner.scanKnown(b, 0, b.length)).isEqualTo(b.length);
      EntryFacts.Computed known = scanner.scan(b);
      assertSameFacts(known, fullScan(line));
      assertHashesAsJackson(line, known);
    }
  }

  /**
   * The same entry written in ways the skeleton does not describe: each must not match, and gives
   * the full scan's facts (or is left to Jackson, as the full scan leaves it); where the meaning is
   * unchanged, the content hash is the entry's own.
   */
  @Test
  void sameMeaningOtherBytes_doesNotMatch_andGivesTheFullScansFacts() {
    List<String> lines = AuditExportVerifierTest.export(3, UnaryOperator.identity());
    String line = lines.get(1);
    String hash = fullScan(line).contentHash();
    List<String> sameMeaning =
        List.of(
            line.replace(
                "\"event_version\":1,\"chain_id\":\"test\"",
                "\"chain_id\":\"test\",\"event_version\":1"),
            line.replace("LeaseAcquired", "Lease\\u0041cquired"),
            line.replace("LeaseAcquired", "Lease\\u0041cquire\\u0064"),
            line.replace("arn:aws", "arn:\\u0061ws"),
            line.replace("\"action\":", "\"action\" : "),
            line.replace("\"event_version\":1", "\"event_version\":1.0"),
            line.replace("\"event_version\":1", "\"event_version\":1e0"),
            line.replace("\"event_version\":1", "\"event_version\":1E0"),
            line.replace("\"event_version\":1", "\"event_version\":10e-1"),
            AuditExportVerifierTest.canonical(line),
            " " + line,
            line + " ");
    AuditLineScanner scanner = new AuditLineScanner();
    for (String variant : sameMeaning) {
      scanner.scan(bytes(lines.get(0))); // the skeleton of the writer's lines, most recent
      byte[] b = bytes(variant);
      if (!variant.equals(AuditExportVerifierTest.canonical(line))) {
        assertThat(scanner.scanKnown(b, 0, b.length))
            .as("no match: %s", variant)
            .isNotEqualTo(b.length);
      }
      EntryFacts.Computed facts = scanner.scan(b);
      assertSameFacts(facts, fullScan(variant));
      EntryFacts reference = entryFacts(variant);
      assertThat(reference.contentHash()).as(variant).isEqualTo(hash);
      if (facts != null) {
        assertThat(facts.contentHash()).isEqualTo(hash);
      }
    }
  }

  /**
   * Slot contents the skeleton's kinds do not cover: never matched, same facts as the full scan.
   */
  @Test
  void otherSlotContents_doNotMatch_andGiveTheFullScansFacts() {
    List<String> lines = AuditExportVerifierTest.export(3, UnaryOperator.identity());
    String line = lines.get(1);
    List<String> variants =
        List.of(
            line.replace("LeaseAcquired", "Lease\\\"Acquired"),
            line.replace("LeaseAcquired", "Lease\\nAcquired"),
            line.replace("LeaseAcquired", "Lease\\\\Acquired"),
            line.replace("LeaseAcquired", "Lease\\/Acquired"),
            line.replace("LeaseAcquired", "Lease\u00e9Acquired"),
            line.replace("LeaseAcquired", "Lease\tAcquired"),
            line.replace("\"event_version\":1", "\"event_version\":-0"),
            line.replace("\"event_version\":1", "\"event_version\":01"),
            line.replace("\"event_version\":1", "\"event_version\":9007199254740992"),
            line.replace("\"event_version\":1", "\"event_version\":\"1\""),
            line.replace("\"event_version\":1", "\"event_version\":true"),
            line.replace("\"sequence\":2", "\"sequence\":-2"),
            line.replace("\"sequence\":2", "\"sequence\":2.0"),
            line.replace("\"sequence\":2", "\"sequence\":\"2\""),
            line.replace("\"status\":\"candidate\"", "\"status\":{}"),
            line.replace("\"status\":\"candidate\"", "\"status\":\"candidate\",\"status\":\"x\""));
    AuditLineScanner scanner = new AuditLineScanner();
    for (String variant : variants) {
      assertThat(variant).isNotEqualTo(line);
      scanner.scan(bytes(lines.get(0)));
      byte[] b = bytes(variant);
      assertThat(scanner.scanKnown(b, 0, b.length))
          .as("no match: %s", variant)
          .isNotEqualTo(b.length);
      EntryFacts.Computed facts = scanner.scan(b);
      assertSameFacts(facts, fullScan(variant));
      if (facts != null) {
        assertHashesAsJackson(variant, facts);
      }
    }
    // and an empty string and a long integer still match, with the full scan's facts
    for (String variant :
        List.of(
            line.replace("LeaseAcquired", ""),
            line.replace("\"event_version\":1", "\"event_version\":-9007199254740991"))) {
      scanner.scan(bytes(lines.get(0)));
      byte[] b = bytes(variant);
      assertThat(scanner.scanKnown(b, 0, b.length)).as("match: %s", variant).isEqualTo(b.length);
      EntryFacts.Computed facts = scanner.scan(b);
      assertSameFacts(facts, fullScan(variant));
      assertHashesAsJackson(variant, facts);
    }
  }

  /** A line that shares a skeleton's first bytes but goes on past its end is never a match. */
  @Test
  void lineLongerThanItsSkeleton_doesNotMatch() {
    List<String> lines = AuditExportVerifierTest.export(3, UnaryOperator.identity());
    AuditLineScanner scanner = new AuditLineScanner();
    scanner.scan(bytes(lines.get(0)));
    byte[] b = bytes(lines.get(1) + "{}");
    assertThat(scanner.scanKnown(b, 0, b.length)).isEqualTo(b.length - 2);
    assertThat(scanner.scan(b)).isNull();
    assertThat(fullScan(lines.get(1) + "{}")).isNull();
  }

  /**
   * An export with a new skeleton on every line (more than are kept, so skeletons stop being tried
   * after a window), then lines of one skeleton again, tampered in both parts: the reference's
   * verdict.
   */
  @Test
  void aNewSkeletonOnEveryLine_thenOneSkeleton_sameAsReference() {
    int n = 3 * AuditLineScanner.WINDOW;
    List<String> lines = new ArrayList<>();
    String previous = AuditChain.GENESIS_HASH;
    List<ObjectNode> entries = AuditChainVerifierTest.chain(n);
    for (int i = 0; i < n; i++) {
      ObjectNode e = entries.get(i);
      if (i < 2 * AuditLineScanner.WINDOW) {
        ((ObjectNode) e.get("details")).put("key_" + i, "v");
      }
      e.put("previous_log_hash", previous);
      e.remove("log_hash");
      previous = AuditChain.logHash(e);
      e.put("log_hash", previous);
      lines.add(Json.compact(e));
    }
    assertThat(AuditExportVerifierTest.assertSame(lines).valid()).isTrue();
    for (int at : new int[] {5, AuditLineScanner.WINDOW + 3, n - 4}) {
      List<String> tampered = new ArrayList<>(lines);
      tampered.set(at, tampered.get(at).replace("LeaseAcquired", "LeaseForged"));
      AuditVerification v = AuditExportVerifierTest.assertSame(tampered);
      assertThat(v.reason()).isEqualTo(AuditVerification.Reason.HASH_MISMATCH);
      assertThat(v.firstBadSequence()).isEqualTo(at + 1);
    }
  }

  private static EntryFacts entryFacts(String line) {
    try {
      return EntryFacts.of(Json.parse(line));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Tampering with chunk boundaries everywhere ---------------------------------------------------

  /**
   * Each kind of tampering at each place of a short chain, verified with chunks of about one line
   * (the boundary falls before, inside or just after a line, and the first entry of most chunks is
   * checked against the state) and of a few lines: the reference's verdict every time.
   */
  @Test
  void eachTampering_acrossChunkBoundaries_sameAsReference() {
    int n = 8;
    List<String> intact = AuditExportVerifierTest.export(n, UnaryOperator.identity());
    int line = intact.get(1).length() + 1;
    int[] chunks = {line - 1, line, line + 1, 2 * line - 7, 3 * line + 5};
    for (int at = 1; at < n - 1; at++) {
      for (List<String> tampered : tamperings(intact, at)) {
        byte[] text = AuditExportVerifierTest.joined(tampered);
        AuditVerification expected = AuditExportVerifierTest.reference(text);
        assertThat(expected.valid()).isFalse();
        for (int chunk : chunks) {
          for (int threads : new int[] {1, 2}) {
            assertThat(AuditExportVerifierTest.fast(text, threads, chunk))
                .as("tampered at %d, %d thread(s), chunks of %d bytes", at, threads, chunk)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  private static List<List<String>> tamperings(List<String> intact, int at) {
    List<List<String>> all = new ArrayList<>();
    List<String> edited = new ArrayList<>(intact);
    edited.set(at, edited.get(at).replace("LeaseAcquired", "LeaseForged"));
    all.add(edited);
    List<String> deleted = new ArrayList<>(intact);
    deleted.remove(at);
    all.add(deleted);
    List<String> swapped = new ArrayList<>(intact);
    Collections.swap(swapped, at, at + 1);
    all.add(swapped);
    List<String> inserted = new ArrayList<>(intact);
    inserted.add(at, inserted.get(at - 1));
    all.add(inserted);
    List<String> relinked = new ArrayList<>(intact);
    relinked.set(at, rehashed(relinked.get(at), e -> e.put("previous_log_hash", "a".repeat(64))));
    all.add(relinked);
    List<String> misstated = new ArrayList<>(intact);
    misstated.set(
        at,
        misstated
            .get(at)
            .replaceAll(
                "\"log_hash\":\"[0-9a-f]{64}\"", "\"log_hash\":\"" + "b".repeat(64) + "\""));
    all.add(misstated);
    List<String> foreign = new ArrayList<>(intact);
    foreign.set(at, rehashed(foreign.get(at), e -> e.put("chain_id", "other")));
    all.add(foreign);
    List<String> truncated = new ArrayList<>(intact);
    truncated.set(at, truncated.get(at).substring(0, truncated.get(at).length() / 2));
    all.add(truncated);
    return all;
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
}
