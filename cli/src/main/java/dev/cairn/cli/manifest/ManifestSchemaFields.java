package dev.cairn.cli.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.common.CliIo;
import dev.cairn.core.failure.FailureCode;
import dev.cairn.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * What {@code manifest create} is given, checked against the patterns of the manifest schema
 * ({@code schema/artifact-manifest.v1.json}) that the verifier enforces. Checked before any file is
 * hashed, so {@code --commit abc} is refused in CI, with the field named, instead of producing a
 * manifest every verifier rejects.
 */
final class ManifestSchemaFields {

  private static final String SCHEMA = "/schema/artifact-manifest.v1.json";

  private final JsonNode properties;

  private ManifestSchemaFields(JsonNode properties) {
    this.properties = properties;
  }

  static ManifestSchemaFields load() {
    try (InputStream in = ManifestSchemaFields.class.getResourceAsStream(SCHEMA)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA + " is not on the classpath (cairn-schema)");
      }
      return new ManifestSchemaFields(Json.mapper().readTree(in).path("properties"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA, e);
    }
  }

  /**
   * Refuses {@code value} unless it matches the schema's pattern for {@code field}.
   *
   * @param option the command-line option that supplied the value, for the message
   * @param expected the expected form in words
   */
  void require(String field, String option, String value, String expected) {
    String pattern = properties.path(field).path("pattern").asText(null);
    if (pattern == null) {
      throw new IllegalStateException(SCHEMA + " has no pattern for " + field);
    }
    if (!Pattern.compile(pattern).matcher(value).find()) {
      // The verifier's code for the same value in a manifest, so CI logs name one stable code.
      throw new CliIo.UsageException(
          FailureCode.MANIFEST_FIELD_FORMAT.name()
              + ": "
              + option
              + " "
              + quoted(value)
              + " is invalid: expected "
              + expected
              + " (artifact-manifest.v1.json "
              + field
              + ": "
              + pattern
              + ")");
    }
  }

  private static String quoted(String value) {
    String v = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "\"" + v + "\"";
  }
}
