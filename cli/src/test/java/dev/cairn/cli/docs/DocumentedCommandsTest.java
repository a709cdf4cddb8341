package dev.cairn.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.docs.Documentation.Block;
import dev.cairn.core.json.Json;
import dev.cairn.sandbox.assembly.ControlPlaneAssembly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shell block of the documentation, checked without running it (blocks that need AWS
 * included): each {@code cairn …} command and flag exists in the CLI, each stack given to {@code
 * cdk deploy} is one the CDK app defines, each module build works on a fresh clone, and a block
 * that cannot run offline says what it needs and why. {@code ExecutableDocsIT} then runs the
 * others.
 */
class DocumentedCommandsTest {

  static final Path REPO = Documentation.repo();

  static Stream<Block> blocks() {
    return Documentation.documents(REPO).stream().flatMap(f -> Documentation.blocks(f).stream());
  }

  @Test
  void theDocumentationHasShellBlocks_inTheReadmeDocsAndModuleReadmes() {
    List<String> files =
        blocks().map(b -> REPO.relativize(b.file()).toString()).distinct().toList();
    assertThat(files)
        .contains("README.md", "docs/runbooks/override.md", "sandbox/README.md", "cdk/README.md");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void everyCairnCommandAndFlagExists(Block block) {
    for (String line : block.logicalLines()) {
      for (List<String> words : Documentation.simpleCommands(line)) {
        CairnInvocation.arguments(words)
            .flatMap(CairnInvocation::problem)
            .ifPresent(
                problem -> {
                  throw new AssertionError(block.where(REPO) + ": " + line + "\n  " + problem);
                });
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void everyDeployedStackIsAStackOfTheCdkApp(Block block) {
    Set<String> stacks = cdkAppStacks();
    for (String line : block.logicalLines()) {
      for (List<String> words : Documentation.simpleCommands(line)) {
        for (String stack : deployedStacks(words)) {
          assertThat(stacks)
              .as("%s: cdk deploy %s (the app defines %s)", block.where(REPO), stack, stacks)
              .contains(stack);
        }
      }
    }
  }

  /**
   * A command continued with {@code \\} goes on on the next line: a blank line there ends it, and
   * the rest runs as a command of its own whose name is a flag.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void noContinuedCommandIsCutByABlankLine(Block block) {
    List<String> lines = block.lines();
    for (int i = 0; i + 1 < lines.size(); i++) {
      assertThat(lines.get(i).endsWith("\\") && lines.get(i + 1).isBlank())
          .as("%s: line %d ends with \\ and the next is blank", block.where(REPO), i + 1)
          .isFalse();
    }
    for (String line : block.logicalLines()) {
      assertThat(line.strip())
          .as("%s: a command cannot start with a flag", block.where(REPO))
          .doesNotStartWith("--");
    }
  }

  /**
   * A module build with {@code -pl} builds what the module depends on ({@code -am}): on a fresh
   * clone nothing is installed yet, so {@code -pl sandbox verify} alone cannot resolve cairn-core.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void everyModuleBuildWorksOnAFreshClone(Block block) {
    for (String line : block.logicalLines()) {
      for (List<String> words : Documentation.simpleCommands(line)) {
        if (words.isEmpty() || !words.get(0).endsWith("mvnw")) {
          continue;
        }
        int pl = words.indexOf("-pl");
        if (pl >= 0) {
          assertThat(words)
              .as("%s: %s builds -pl modules without -am", block.where(REPO), line)
              .containsAnyOf("-am", "--also-make");
          for (String module : words.get(pl + 1).split(",")) {
            assertThat(REPO.resolve(module).resolve("pom.xml"))
                .as("%s: -pl %s", block.where(REPO), module)
                .isRegularFile();
          }
        }
        int f = words.indexOf("-f");
        if (f >= 0) {
          assertThat(REPO.resolve(words.get(f + 1))).as("%s: -f", block.where(REPO)).exists();
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void aBlockThatCannotRunOfflineSaysWhatItNeedsAndWhy(Block block) {
    block
        .needs()
        .ifPresent(
            n -> {
              assertThat(Documentation.NEEDS).as(block.where(REPO)).contains(n.what());
              assertThat(n.reason())
                  .as("%s: # needs: %s — why?", block.where(REPO), n.what())
                  .isNotBlank();
            });
    if (block.needs().isEmpty()) {
      // Offline blocks must not reach AWS, GitHub or the npm registry.
      for (String line : block.logicalLines()) {
        for (List<String> words : Documentation.simpleCommands(line)) {
          assertThat(words.isEmpty() ? "" : words.get(0))
              .as("%s: %s runs offline? mark the block # needs: …", block.where(REPO), line)
              .isNotIn("aws", "gh", "curl", "wget");
        }
      }
    }
  }

  /**
   * Relative links between documents resolve (a link to a file outside the repository does not).
   */
  @Test
  void everyRelativeLinkResolves() throws IOException {
    Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
    List<String> broken = new ArrayList<>();
    for (Path doc : Documentation.documents(REPO)) {
      Matcher m = link.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        if (!Files.exists(doc.getParent().resolve(target).normalize())
            || !doc.getParent().resolve(target).normalize().startsWith(REPO)) {
          broken.add(REPO.relativize(doc) + " -> " + target);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  /** docs/README.md is the index: every runbook and every decision is linked from it. */
  @Test
  void theDocsIndexLinksEveryRunbookAndDecision() throws IOException {
    String index = Files.readString(REPO.resolve("docs/README.md"));
    List<String> missing = new ArrayList<>();
    for (String dir : List.of("runbooks", "decisions")) {
      try (Stream<Path> files = Files.list(REPO.resolve("docs").resolve(dir))) {
        files
            .filter(p -> p.toString().endsWith(".md"))
            .map(p -> dir + "/" + p.getFileName())
            .filter(name -> !index.contains("(" + name + ")"))
            .forEach(missing::add);
      }
    }
    assertThat(missing).as("not linked from docs/README.md").isEmpty();
  }

  /** The stack ids of Cairn's CDK app, from the assembly the build synthesized. */
  static Set<String> cdkAppStacks() {
    String name = ControlPlaneAssembly.RESOURCE_ROOT + "/cdk.out/manifest.json";
    try (InputStream in = DocumentedCommandsTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      JsonNode artifacts = Json.parse(in).path("artifacts");
      Set<String> ids = new TreeSet<>();
      artifacts
          .fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().path("type").asText().equals("aws:cloudformation:stack")) {
                  ids.add(e.getKey());
                }
              });
      return ids;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Set<String> CDK_OPTIONS_WITH_VALUE =
      Set.of(
          "-c",
          "--context",
          "--profile",
          "--require-approval",
          "-a",
          "--app",
          "-o",
          "--output",
          "-r",
          "--role-arn",
          "--toolkit-stack-name",
          "--parameters",
          "--outputs-file");

  /**
   * The stacks a {@code cdk deploy} (or {@code npx cdk deploy}, {@code npx aws-cdk deploy}) names.
   */
  static List<String> deployedStacks(List<String> words) {
    int i = 0;
    if (!words.isEmpty() && words.get(0).equals("npx")) {
      i = 1;
    }
    if (words.size() <= i + 1
        || !(words.get(i).equals("cdk") || words.get(i).equals("aws-cdk"))
        || !words.get(i + 1).equals("deploy")) {
      return List.of();
    }
    List<String> stacks = new ArrayList<>();
    for (int k = i + 2; k < words.size(); k++) {
      String w = words.get(k);
      if (w.startsWith("-")) {
        if (CDK_OPTIONS_WITH_VALUE.contains(w)) {
          k++;
        }
        continue;
      }
      stacks.add(w);
    }
    return stacks;
  }
}
