package dev.cairn.bench.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.aws.ledger.ArtifactItems;
import dev.cairn.core.audit.Actor;
import dev.cairn.core.audit.AuditChain;
import dev.cairn.core.audit.AuditChainVerifier;
import dev.cairn.core.audit.AuditEvent;
import dev.cairn.core.audit.AuditHead;
import dev.cairn.core.audit.AuditVerification;
import dev.cairn.core.json.Json;
import dev.cairn.core.ledger.ArtifactRecord;
import dev.cairn.core.ledger.CandidateRecords;
import dev.cairn.core.ledger.SweepPolicy;
import dev.cairn.core.ledger.TransitionPlanner;
import dev.cairn.core.lifecycle.ActorRole;
import dev.cairn.core.lifecycle.ArtifactKey;
import dev.cairn.core.lifecycle.ArtifactStatus;
import dev.cairn.core.lifecycle.EnvironmentStatus;
import dev.cairn.core.lifecycle.StateChange;
import dev.cairn.local.servers.LocalDynamoDb;
import dev.cairn.local.servers.LocalTableDefinitions;
import dev.cairn.schema.TableDefinition;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Prints two figures (and asserts nothing about time):
 *
 * <ol>
 *   <li>audit-chain verification speed over N generated entries (default 1,000,000), streamed from
 *       a JSON Lines file exactly as {@code cairn audit verify --file} reads it, and from memory;
 *   <li>the read capacity needed to find 10 due items among M ledger rows (default 100,000): a
 *       Query on the sparse {@code sweep-due-index} next to a Scan with a filter, both with {@code
 *       ReturnConsumedCapacity=TOTAL} against DynamoDB Local.
 * </ol>
 *
 * Arguments: {@code [entries] [rows]}.
 */
public final class LedgerBenchmark {

  public static void main(String[] args) throws Exception {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    auditVerify(entries);
    if (rows > 0) {
      sweepIndex(rows);
    }
    System.exit(0);
  }

  // 1 ---------------------------------------------------------------------------------------------

  static void auditVerify(int n) throws Exception {
    // -Dcairn.audit.file=F keeps the export in F and reuses it when it is already there.
    String keep = System.getProperty("cairn.audit.file");
    Path file = keep != null ? Path.of(keep) : Files.createTempFile("cairn-audit-bench", ".jsonl");
    if (keep != null && Files.isRegularFile(file) && Files.size(file) > 0) {
      System.out.printf("audit: reusing %s (%,d MB)%n", file, Files.size(file) >> 20);
      coldCli(file, n);
      return;
    }
    long t0 = System.nanoTime();
    AuditHead head = AuditHead.empty("bench");
    Actor actor =
        new Actor(
            ActorRole.PIPELINE,
            "arn:aws:states:us-east-1:111122223333:execution:DeployArtifactPipeline:x");
    ObjectNode before = Json.object().put("status", "candidate").put("version", 1);
    before
        .putObject("environment_states")
        .putObject("stage")
        .put("status", "pending")
        .put("test_status", "not_tested");
    ObjectNode after = before.deepCopy().put("version", 2);
    ((ObjectNode) after.get("environment_states").get("stage")).put("status", "deploying");
    List<StateChange> changes =
        List.of(
            StateChange.environment(
                "stage", EnvironmentStatus.PENDING, EnvironmentStatus.DEPLOYING));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      Instant t = Instant.parse("2026-11-22T00:00:00Z");
      for (int i = 0; i < n; i++) {
        ObjectNode e =
            AuditChain.seal(
                new AuditEvent(
                    t.plusMillis(i),
                    actor,
                    "LeaseAcquired",
                    new ArtifactKey("svc-" + (i % 50), String.format("%040x", i)),
                    before,
                    after,
                    changes,
                    null,
                    null,
                    Map.of("execution_id", "exec-" + i)),
                head);
        head = AuditChain.headAfter(e);
        w.write(Json.compact(e));
        w.write('\n');
      }
    }
    double genSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "audit: generated and sealed %,d entries in %.1f s (%,.0f entries/s), file %,d MB%n",
        n, genSeconds, n / genSeconds, Files.size(file) >> 20);

    // Streaming from the file: parse + canonicalize + SHA-256 + link check, one entry in memory.
    for (int round = 1; round <= 1; round++) {
      long s = System.nanoTime();
      AuditVerification v;
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        v = AuditChainVerifier.verify(lines(r));
      }
      double sec = (System.nanoTime() - s) / 1e9;
      System.out.printf(
          "audit: verify --file round %d: %s, %,d entries in %.2f s = %,.0f entries/s (heap used %,d MB)%n",
          round,
          v.valid() ? "VALID" : "BROKEN " + v.reason(),
          v.entries(),
          sec,
          v.entries() / sec,
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }
    coldCli(file, n);
    if (keep == null) {
      Files.delete(file);
    }
  }

  /**
   * What an auditor runs: {@code cli/bin/cairn audit verify --file} (the launcher, with its JVM
   * flags and class-data archive), a fresh JVM per run, timed as a whole process (JVM start
   * included) under {@code /usr/bin/time} for its CPU time and peak resident memory. One untimed
   * run first, so that the archive the measured runs map exists. {@code -Dcairn.runs} runs (default
   * 5), the median printed, with the load average before and after, since the figures move with the
   * machine's load. The jar is {@code -Dcairn.jar} (default {@code cli/target/cairn.jar}).
   */
  static void coldCli(Path file, int n) throws Exception {
    Path jar = Path.of(System.getProperty("cairn.jar", "cli/target/cairn.jar"));
    Path launcher = Path.of(System.getProperty("cairn.launcher", "cli/bin/cairn"));
    int runs = Integer.getInteger("cairn.runs", 5);
    if (!Files.isRegularFile(jar)) {
      System.out.printf(
          "audit verify: skipped, no %s (./mvnw -B -q package -pl cli -am -DskipTests)%n", jar);
      return;
    }
    boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
    List<String> command = new java.util.ArrayList<>();
    if (timed) {
      command.addAll(List.of("/usr/bin/time", "-f", "rss_kb=%M cpu_s=%U+%S"));
    }
    command.addAll(
        List.of(
            launcher.toString(), "audit", "verify", "--file", file.toString(), "--format", "json"));
    String loadBefore = loadAverage();
    run(command, jar, n); // untimed: creates the class-data archive (or AOT cache)
    List<double[]> figures = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      double[] f = run(command, jar, n);
      figures.add(f);
      System.out.printf(
          "audit verify: run %d: %.2f s wall, %.2f s CPU, peak RSS %,.0f MB%n",
          i, f[0], f[1], f[2]);
    }
    double wall = median(figures, 0);
    System.out.printf(
        "audit verify: %,d entries in %.2f s (%,.0f entries/s), cold JVM; median of %d: CPU %.2f s,"
            + " peak RSS %,.0f MB; load average %s before, %s after%n",
        n, wall, n / wall, runs, median(figures, 1), median(figures, 2), loadBefore, loadAverage());
  }

  /** One verification: wall seconds, CPU seconds (user + system), peak RSS in MB. */
  private static double[] run(List<String> command, Path jar, int n) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().put("CAIRN_JAR", jar.toAbsolutePath().toString());
    long s = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    double sec = (System.nanoTime() - s) / 1e9;
    JsonNode verdict = Json.parse(out);
    if (rc != 0 || !verdict.path("valid").asBoolean() || verdict.path("entries").asLong() != n) {
      throw new IllegalStateException("the CLI verified " + out + err + ", not " + n + " entries");
    }
    double cpu = -1;
    double rss = -1;
    for (String l : err.lines().toList()) {
      for (String field : l.split(" ")) {
        if (field.startsWith("rss_kb=")) {
          rss = Long.parseLong(field.substring(7)) / 1024.0;
        } else if (field.startsWith("cpu_s=")) {
          String[] parts = field.substring(6).split("\\+");
          cpu = Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
        }
      }
    }
    return new double[] {sec, cpu, rss};
  }

  private static double median(List<double[]> figures, int column) {
    double[] v = figures.stream().mapToDouble(f -> f[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  static Iterator<JsonNode> lines(BufferedReader r) {
    return new Iterator<JsonNode>() {
      String next = read();

      String read() {
        try {
          return r.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public JsonNode next() {
        String l = next;
        next = read();
        try {
          return Json.parse(l);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  // 2 ---------------------------------------------------------------------------------------------

  static void sweepIndex(int rows) {
    LocalDynamoDb server = LocalDynamoDb.start(0);
    try (DynamoDbClient ddb = server.client()) {
      String table = TableDefinition.ARTIFACT_METADATA;
      LocalTableDefinitions.create(ddb, table, table);
      Instant now = Instant.parse("2026-11-22T12:00:00Z");
      Actor ci = new Actor(ActorRole.CI, "bench");
      long t0 = System.nanoTime();
      List<WriteRequest> batch = new ArrayList<>();
      int due = 0;
      for (int i = 0; i < rows; i++) {
        ArtifactKey key = new ArtifactKey("svc-" + (i % 200), String.format("%040x", i));
        ArtifactRecord r =
            CandidateRecords.candidate(
                key,
                "b".repeat(64),
                "s3://cdk-artifacts-candidate/" + key + "/",
                Instant.parse("2026-11-22T09:00:00Z"),
                "2.1148.1",
                "c".repeat(64),
                Map.of("aws-cdk-lib", "2.263.0"),
                true,
                null,
                "us-east-1",
                List.of(
                    new CandidateRecords.Environment("stage", "us-east-1"),
                    new CandidateRecords.Environment("prod", "us-east-1")));
        boolean isDue = i % (rows / 10) == 0; // exactly 10 rows still need attention
        if (isDue) {
          due++;
          r = TransitionPlanner.planCreate(r, ci, now.minusSeconds(3600), "bench:" + i).after();
        } else {
          // Settled: rejected, so SweepPolicy clears the index attributes.
          r =
              r.toBuilder()
                  .status(ArtifactStatus.REJECTED)
                  .environment("stage", r.environment("stage").withStatus(EnvironmentStatus.FAILED))
                  .version(3)
                  .build();
          r = SweepPolicy.apply(r, now.minusSeconds(7200));
        }
        Map<String, AttributeValue> item = ArtifactItems.toItem(r);
        batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        if (batch.size() == 25) {
          write(ddb, table, batch);
        }
      }
      write(ddb, table, batch);
      System.out.printf(
          "sweep: loaded %,d ledger rows (%d due) in %.1f s%n",
          rows, due, (System.nanoTime() - t0) / 1e9);

      double queryRcu = 0;
      int found = 0;
      int queryItemsRead = 0;
      for (String p : SweepPolicy.partitions()) {
        Map<String, AttributeValue> start = null;
        do {
          Map<String, AttributeValue> from = start;
          QueryResponse q =
              ddb.query(
                  b ->
                      b.tableName(table)
                          .indexName("sweep-due-index")
                          .keyConditionExpression("sweep_partition = :p AND sweep_due_at <= :now")
                          .expressionAttributeValues(
                              Map.of(
                                  ":p",
                                  AttributeValue.fromS(p),
                                  ":now",
                                  AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                          .exclusiveStartKey(from));
          queryRcu += q.consumedCapacity() == null ? 0 : q.consumedCapacity().capacityUnits();
          found += q.count();
          queryItemsRead += q.scannedCount();
          start =
              q.hasLastEvaluatedKey() && !q.lastEvaluatedKey().isEmpty()
                  ? q.lastEvaluatedKey()
                  : null;
        } while (start != null);
      }
      System.out.printf(
          "sweep: GSI query over %d partitions: found %d due items, read %d items, %.1f RCU (ReturnConsumedCapacity)%n",
          SweepPolicy.PARTITIONS, found, queryItemsRead, queryRcu);

      double scanRcu = 0;
      int scanFound = 0;
      long scanned = 0;
      Map<String, AttributeValue> start = null;
      long s0 = System.nanoTime();
      do {
        Map<String, AttributeValue> from = start;
        ScanResponse s =
            ddb.scan(
                b ->
                    b.tableName(table)
                        .filterExpression("attribute_exists(sweep_due_at) AND sweep_due_at <= :now")
                        .expressionAttributeValues(
                            Map.of(
                                ":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .exclusiveStartKey(from));
        scanRcu += s.consumedCapacity() == null ? 0 : s.consumedCapacity().capacityUnits();
        scanFound += s.count();
        scanned += s.scannedCount();
        start =
            s.hasLastEvaluatedKey() && !s.lastEvaluatedKey().isEmpty()
                ? s.lastEvaluatedKey()
                : null;
      } while (start != null);
      System.out.printf(
          "sweep: table Scan with filter: found %d due items, read %,d items, %.1f RCU, %.1f s%n",
          scanFound, scanned, scanRcu, (System.nanoTime() - s0) / 1e9);
    } finally {
      server.close();
    }
  }

  private static void write(DynamoDbClient ddb, String table, List<WriteRequest> batch) {
    List<WriteRequest> pending = new ArrayList<>(batch);
    batch.clear();
    while (!pending.isEmpty()) {
      List<WriteRequest> current = pending;
      var r = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, current)));
      pending = new ArrayList<>(r.unprocessedItems().getOrDefault(table, List.of()));
    }
  }
}
