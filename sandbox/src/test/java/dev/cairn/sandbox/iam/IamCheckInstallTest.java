package dev.cairn.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.sandbox.assembly.BundledFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamCheckInstallTest {

  /**
   * The cache directory an installed evaluator is found in is named after the script too, not only
   * after the lock file: a jar whose evaluate.mjs changed under the same pinned packages must not
   * run the script an older jar installed (it did: a new decision rule went unseen until the cache
   * was deleted).
   */
  @Test
  void aChangedScript_underTheSameLockFile_getsADirectoryOfItsOwn(@TempDir Path tmp)
      throws Exception {
    Path bundled = tmp.resolve("bundled");
    BundledFiles.copy(BundledFiles.IAM_CHECK, bundled);
    String asBundled = IamCheckInstall.contentName(bundled);

    Files.writeString(
        bundled.resolve("evaluate.mjs"),
        Files.readString(bundled.resolve("evaluate.mjs")) + "\n// a later release\n");

    assertThat(IamCheckInstall.contentName(bundled)).isNotEqualTo(asBundled).hasSize(16);
  }

  @Test
  void theSameFiles_findTheSameDirectory(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    BundledFiles.copy(BundledFiles.IAM_CHECK, a);
    BundledFiles.copy(BundledFiles.IAM_CHECK, b);
    assertThat(IamCheckInstall.contentName(a)).isEqualTo(IamCheckInstall.contentName(b));
  }
}
