package dev.cairn.cli.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The README's CI section shows the publish job the workflow file holds, and the harness runs. */
class ReadmeCiSectionTest {

  @Test
  void readmeCiSection_isThePublishJobOfTheWorkflowFile() throws Exception {
    String workflow = Files.readString(CiWorkflowHarnessIT.WORKFLOW);
    String readme = Files.readString(CiWorkflowHarnessIT.REPO.resolve("README.md"));
    String begin = "<!-- ci-publish-job:begin -->\n```yaml\n";
    String end = "```\n<!-- ci-publish-job:end -->";
    assertThat(readme).contains(begin, end);
    String shown = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));

    assertThat(shown).isEqualTo(workflow.substring(workflow.indexOf("  publish:\n")));
    assertThat(shown).contains("cdk-assets publish", "manifest create", "cairn.jar publish");
  }
}
