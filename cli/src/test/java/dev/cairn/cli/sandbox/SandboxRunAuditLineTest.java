package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The text line says what the summary's audit section says, field for field. */
class SandboxRunAuditLineTest {

  @Test
  void auditLine_whenChainEditedAfterAnchoring_namesSequenceCodeAndAnchor() throws Exception {
    var audit =
        Json.parse(
            ("{\"entries\":15,\"head_sequence\":15,\"head_hash\":\"9e70\",\"verified\":false,"
                    + "\"anchors_checked\":1,\"first_bad_sequence\":1,\"code\":\"HASH_MISMATCH\","
                    + "\"anchor\":{\"key\":\"audit-log-anchors/cairn/00000000000000000015.json\","
                    + "\"sequence\":15,\"code\":\"ANCHORED_ENTRY_ALTERED\"}}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(SandboxRunCommand.auditLine(audit))
        .isEqualTo(
            "Audit chain: 15 entries, head 9e70 (sequence 15), BROKEN at sequence 1"
                + " (HASH_MISMATCH); anchor audit-log-anchors/cairn/00000000000000000015.json"
                + " disagrees (ANCHORED_ENTRY_ALTERED)");
  }

  @Test
  void auditLine_whenChainHolds_saysHowManyAnchorsAgree() throws Exception {
    var audit =
        Json.parse(
            ("{\"entries\":9,\"head_sequence\":9,\"head_hash\":\"ab12\",\"verified\":true,"
                    + "\"anchors_checked\":0}")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(SandboxRunCommand.auditLine(audit))
        .isEqualTo("Audit chain: 9 entries, head ab12 (sequence 9), verified against 0 anchor(s)");
  }
}
