package dev.cairn.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TableDefinitionTest {

  /** DynamoDB refuses a key (of the table or of an index) whose attribute is not defined. */
  @Test
  void everySharedTable_definesEachKeyItUses_andNothingElse() {
    for (String name : TableDefinition.ALL) {
      TableDefinition t = TableDefinition.load(name);
      assertThat(t.tableName()).isEqualTo(name);
      java.util.Set<String> keys = new java.util.HashSet<>();
      keys.add(t.partitionKey());
      t.sortKey().ifPresent(keys::add);
      for (TableDefinition.Index i : t.globalSecondaryIndexes()) {
        keys.add(i.partitionKey());
        i.sortKey().ifPresent(keys::add);
      }
      // CreateTable also refuses attribute definitions that no key uses.
      assertThat(t.attributeTypes().keySet()).as(name).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(t.attributeTypes().values()).as(name).allMatch(v -> v.matches("S|N|B"));
    }
  }

  @Test
  void theLedgerAndTheIdempotencyTable_expireTheirItems_theAuditLogKeepsEveryEntry() {
    assertThat(TableDefinition.load(TableDefinition.ARTIFACT_METADATA).ttlAttribute())
        .contains("expire_at");
    assertThat(TableDefinition.load(TableDefinition.IDEMPOTENCY).ttlAttribute()).isPresent();
    assertThat(TableDefinition.load(TableDefinition.AUDIT_LOG).ttlAttribute()).isEmpty();
  }

  @Test
  void aProvisionedTable_isRefused() throws Exception {
    var provisioned =
        new ObjectMapper()
            .readTree(
                "{\"table_name\":\"t\",\"billing_mode\":\"PROVISIONED\","
                    + "\"attribute_definitions\":[{\"name\":\"pk\",\"type\":\"S\"}],"
                    + "\"key_schema\":{\"partition_key\":\"pk\"}}");
    assertThatThrownBy(() -> TableDefinition.parse(provisioned))
        .hasMessageContaining("PAY_PER_REQUEST");
  }
}
