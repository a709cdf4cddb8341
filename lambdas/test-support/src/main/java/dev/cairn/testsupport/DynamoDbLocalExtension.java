package dev.cairn.testsupport;

import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalTables;
import dev.cairn.schema.TableDefinition;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starts the JVM-wide DynamoDB Local (once) and creates, per test class, the tables of {@code
 * schema/tables/*.json} under unique names. Injects {@link DynamoDbClient}, {@link LocalTables} and
 * {@link LocalDynamoDb} into constructors, lifecycle and test methods.
 *
 * <pre>{@code
 * @ExtendWith(DynamoDbLocalExtension.class)
 * class LedgerTest {
 *   LedgerTest(DynamoDbClient dynamoDb, LocalTables tables) { ... }
 * }
 * }</pre>
 */
public final class DynamoDbLocalExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DynamoDbLocalExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    tables(context);
  }

  private static LocalTables tables(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NS)
        .getOrComputeIfAbsent(
            "tables",
            k -> {
              LocalDynamoDb server = LocalDynamoDb.shared();
              String suffix = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
              LocalTables t =
                  new LocalTables(
                      TableDefinition.ARTIFACT_METADATA + "-" + suffix,
                      TableDefinition.AUDIT_LOG + "-" + suffix,
                      TableDefinition.IDEMPOTENCY + "-" + suffix);
              DynamoDbClient client = client(context);
              server.createTable(client, TableDefinition.ARTIFACT_METADATA, t.artifactMetadata());
              server.createTable(client, TableDefinition.AUDIT_LOG, t.auditLog());
              server.createTable(client, TableDefinition.IDEMPOTENCY, t.idempotency());
              return t;
            },
            LocalTables.class);
  }

  private static DynamoDbClient client(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("client", k -> LocalDynamoDb.shared().client(), DynamoDbClient.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == DynamoDbClient.class || type == LocalTables.class || type == LocalDynamoDb.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    if (type == DynamoDbClient.class) {
      return client(e);
    }
    if (type == LocalDynamoDb.class) {
      return LocalDynamoDb.shared();
    }
    return tables(e);
  }
}
