package dev.cairn.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.failure.BlockerClass;
import dev.cairn.core.failure.BlockerClasses;
import dev.cairn.core.failure.EvidenceCheckFailure;
import dev.cairn.core.failure.EvidenceFailure;
import dev.cairn.core.failure.ExecutionEndFailure;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.failure.ItemIntegrityFailure;
import dev.cairn.core.failure.OverrideFailure;
import dev.cairn.core.failure.RegistrationFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockerClassesTest {

  @Test
  void everyCodeOfEveryCatalogue_hasABlockerClass_byItsName() {
    List<String> codes = new ArrayList<>();
    for (FailureCode c : FailureCode.values()) {
      codes.add(c.name());
    }
    for (EvidenceFailure c : EvidenceFailure.values()) {
      codes.add(c.name());
    }
    for (OverrideFailure c : OverrideFailure.values()) {
      codes.add(c.name());
    }
    for (RegistrationFailure c : RegistrationFailure.values()) {
      codes.add(c.name());
    }
    for (ItemIntegrityFailure c : ItemIntegrityFailure.values()) {
      codes.add(c.name());
    }
    for (EvidenceCheckFailure c : EvidenceCheckFailure.values()) {
      codes.add(c.name());
    }
    for (ExecutionEndFailure c : ExecutionEndFailure.values()) {
      codes.add(c.name());
    }
    assertThat(codes).allSatisfy(c -> assertThat(BlockerClasses.byCode(c)).as(c).isPresent());
    assertThat(BlockerClasses.all().keySet()).containsAll(codes);
  }

  @Test
  void seedPlanes_areEachReached_byTheVerifierGates() {
    assertThat(BlockerClasses.of(FailureCode.SIGNATURE_INVALID)).isEqualTo(BlockerClass.AUTHN);
    assertThat(BlockerClasses.of(FailureCode.FILE_UNEXPECTED))
        .isEqualTo(BlockerClass.BUILD_SURFACE);
    assertThat(BlockerClasses.of(FailureCode.ARTIFACT_DIGEST_MISMATCH))
        .isEqualTo(BlockerClass.IDENTITY);
    assertThat(BlockerClasses.of(FailureCode.COMMIT_NOT_SIGNED)).isEqualTo(BlockerClass.PROVENANCE);
    assertThat(BlockerClasses.of(OverrideFailure.APPROVAL_EXPIRED)).isEqualTo(BlockerClass.AUTHZ);
  }

  @Test
  void evidenceDigestMismatch_inBothCatalogues_isThePipelinesIdentityFailure() {
    assertThat(BlockerClasses.byCode("EVIDENCE_DIGEST_MISMATCH")).contains(BlockerClass.IDENTITY);
  }

  @Test
  void phasesWithoutACode_mapToCairnsOwnGates() {
    assertThat(BlockerClasses.ofPhase("deploy")).contains(BlockerClass.DEPLOY);
    assertThat(BlockerClasses.ofPhase("tests")).contains(BlockerClass.TEST);
    assertThat(BlockerClasses.ofPhase("bake")).contains(BlockerClass.BAKE);
    assertThat(BlockerClasses.ofPhase("post_deploy_watch")).contains(BlockerClass.BAKE);
    assertThat(BlockerClasses.ofPhase("drift")).contains(BlockerClass.DRIFT);
    assertThat(BlockerClasses.ofPhase("verify")).isEmpty();
  }
}
