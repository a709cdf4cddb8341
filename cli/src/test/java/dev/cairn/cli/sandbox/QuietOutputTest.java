package dev.cairn.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code cairn sandbox up} run as a process, its whole output captured (stdout and stderr of the
 * JVM, where DynamoDB Local, sqlite4java, SLF4J, Jetty and S3Proxy would write): every line is one
 * Cairn printed.
 */
class QuietOutputTest {

  static Process sandboxUp(String... extra) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.cairn.cli.CairnCli"));
    command.addAll(List.of(RunningSandbox.upArguments(ExampleCdkOut.REPO, "--exit-when-ready")));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  void sandboxUp_printsNoThirdPartyLogLines() throws Exception {
    Process p = sandboxUp();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(output).isNotEmpty();
    assertThat(lines)
        .as("every line is Cairn's own")
        .allMatch(l -> l.startsWith("# ") || l.startsWith("export "));
    assertThat(output)
        .doesNotContain("SLF4J", "sqlite", "Initializing DynamoDB Local", "jetty", "S3Proxy");
  }

  @Test
  void sandboxUp_verbose_letsTheLocalServicesLogLinesThrough() throws Exception {
    Process p = sandboxUp("--verbose");
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    // DynamoDB Local's banner on stdout, and Jetty's start-up line through SLF4J at INFO.
    assertThat(output).contains("Initializing DynamoDB Local");
    assertThat(output.toLowerCase(java.util.Locale.ROOT)).contains("jetty");
    assertThat(output.lines())
        .as("lines that are not Cairn's")
        .anyMatch(l -> !l.isBlank() && !l.startsWith("# ") && !l.startsWith("export "));
  }
}
