package dev.cairn.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema {@code schema/<name>.v1.json} comes with examples in {@code
 * schema/examples/<name>/}: each {@code valid-*.json} must validate and each {@code invalid-*.json}
 * must not.
 */
class SchemaExamplesTest {

  private static final Path SCHEMA_DIR = Path.of("").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  @Test
  void everySchema_hasValidAndInvalidExamples() throws IOException {
    List<String> lacking = new ArrayList<>();
    for (Path schema : schemas()) {
      Path dir = examplesOf(schema);
      long valid = count(dir, "valid-");
      long invalid = count(dir, "invalid-");
      if (valid == 0 || invalid == 0) {
        lacking.add(schema.getFileName() + " (" + valid + " valid, " + invalid + " invalid)");
      }
    }
    assertThat(lacking).as("schemas without both valid and invalid examples").isEmpty();
  }

  @Test
  void everySchema_declaresDraft202012() throws IOException {
    for (Path schema : schemas()) {
      assertThat(JSON.readTree(schema.toFile()).path("$schema").asText())
          .as(schema.getFileName().toString())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }
  }

  @TestFactory
  Stream<DynamicTest> examples_validateAsTheirNamesSay() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path schemaFile : schemas()) {
      JsonSchema schema = FACTORY.getSchema(JSON.readTree(schemaFile.toFile()));
      Path dir = examplesOf(schemaFile);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path example : files.sorted().toList()) {
          String name = example.getFileName().toString();
          boolean expectValid = name.startsWith("valid-");
          tests.add(
              DynamicTest.dynamicTest(
                  schemaFile.getFileName() + " / " + name,
                  () -> {
                    JsonNode instance = JSON.readTree(example.toFile());
                    Set<ValidationMessage> errors = schema.validate(instance);
                    if (expectValid) {
                      assertThat(errors).as(name).isEmpty();
                    } else {
                      assertThat(errors).as(name + " should be rejected").isNotEmpty();
                    }
                  }));
        }
      }
    }
    return tests.stream();
  }

  static List<Path> schemas() throws IOException {
    try (Stream<Path> files = Files.list(SCHEMA_DIR)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".v1.json")).sorted().toList();
    }
  }

  private static Path examplesOf(Path schema) {
    String name = schema.getFileName().toString().replace(".v1.json", "");
    return SCHEMA_DIR.resolve("examples").resolve(name);
  }

  private static long count(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }
  }
}
