package dev.cairn.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DynamoDB table definition read from {@code schema/tables/<name>.table.json}. It is the one
 * reading of those files: the CDK stack builds its tables from it and the local servers create
 * DynamoDB Local's from it, so the deployed tables and the local ones cannot drift.
 */
public record TableDefinition(
    String tableName,
    Map<String, String> attributeTypes,
    String partitionKey,
    Optional<String> sortKey,
    List<Index> globalSecondaryIndexes,
    Optional<String> ttlAttribute,
    boolean pointInTimeRecovery) {

  /** The artifact ledger. */
  public static final String ARTIFACT_METADATA = "cdk-artifact-metadata";

  /** The hash-chained audit log. */
  public static final String AUDIT_LOG = "cdk-audit-log";

  /** Idempotency records and override nonces. */
  public static final String IDEMPOTENCY = "cairn-idempotency";

  /** Every shared definition. */
  public static final List<String> ALL = List.of(ARTIFACT_METADATA, AUDIT_LOG, IDEMPOTENCY);

  public TableDefinition {
    attributeTypes = Map.copyOf(attributeTypes);
    globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
  }

  /** A global secondary index. */
  public record Index(
      String indexName, String partitionKey, Optional<String> sortKey, String projection) {}

  /** Reads {@code /schema/tables/<name>.table.json} from the classpath. */
  public static TableDefinition load(String name) {
    String resource = "/schema/tables/" + name + ".table.json";
    try (InputStream in = TableDefinition.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one definition; only on-demand ({@code PAY_PER_REQUEST}) tables are supported. */
  public static TableDefinition parse(JsonNode n) {
    Map<String, String> types = new LinkedHashMap<>();
    n.get("attribute_definitions")
        .forEach(a -> types.put(a.get("name").asText(), a.get("type").asText()));
    List<Index> gsis = new ArrayList<>();
    n.path("global_secondary_indexes")
        .forEach(
            g ->
                gsis.add(
                    new Index(
                        g.get("index_name").asText(),
                        g.get("partition_key").asText(),
                        text(g.get("sort_key")),
                        g.path("projection").asText("ALL"))));
    if (!"PAY_PER_REQUEST".equals(n.path("billing_mode").asText("PAY_PER_REQUEST"))) {
      throw new IllegalStateException("only PAY_PER_REQUEST tables are supported");
    }
    return new TableDefinition(
        n.get("table_name").asText(),
        types,
        n.get("key_schema").get("partition_key").asText(),
        text(n.get("key_schema").get("sort_key")),
        gsis,
        text(n.get("ttl_attribute")),
        n.path("point_in_time_recovery").asBoolean(false));
  }

  private static Optional<String> text(JsonNode node) {
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }
}
