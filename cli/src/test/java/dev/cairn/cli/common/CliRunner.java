package dev.cairn.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cairn.cli.CairnCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine;

/** Runs {@code cairn} in process, as {@code main} would, with stdout and stderr captured. */
public final class CliRunner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CliRunner() {}

  /** What one run printed and returned. */
  public record Result(int exit, String out, String err) {
    public JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not one JSON document: " + out, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  /** Runs {@code args} on the command line {@code main} builds for them. */
  public static Result run(String... args) {
    CommandLine cl = CairnCli.commandLine(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** A schema from the cairn-schema jar ({@code /schema/NAME}), or from {@code ../schema/}. */
  public static JsonSchema schema(String name) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    try (InputStream in = CliRunner.class.getResourceAsStream("/schema/" + name)) {
      if (in != null) {
        return factory.getSchema(JSON.readTree(in));
      }
      return factory.getSchema(JSON.readTree(Files.readAllBytes(Path.of("../schema", name))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Schema violations of {@code document} (empty when it validates). */
  public static Set<ValidationMessage> violations(String schemaName, JsonNode document) {
    return schema(schemaName).validate(document);
  }
}
