package dev.cairn.cli.dashboard;

import dev.cairn.cli.CairnCli;
import dev.cairn.cli.publish.AwsOptions;
import dev.cairn.cli.publish.RecordMacOptions;
import dev.cairn.core.audit.AuditChain;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn dashboard}. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a read-only dashboard on loopback from the ledger, audit log and anchors.",
      "Each service's artifacts across environments (status, test status, health, last known good",
      "commit); a timeline per artifact, every transition with its audit sequence number, its",
      "correlation keys and the Logs Insights queries that show its lines; the audit chain checked",
      "against the anchors (verified or broken, with the first bad sequence); overrides,",
      "break-glass and approvals; the KPIs of `cairn kpi`, with charts per day.",
      "Uses your own AWS credentials and AWS_ENDPOINT_URL_* variables, like every cairn command;",
      "it makes read calls only. The page loads nothing from the internet. JSON under /api/."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly (Ctrl-C)", "2:usage error, or the port is in use"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cairn dashboard                          # then open the printed address",
      "  cairn dashboard --port 0 --mac-key alias/cairn-record-mac",
      "  curl -s http://127.0.0.1:8325/api/audit | jq .verdict"
    })
public final class DashboardCommand implements Callable<Integer> {

  /** The port when none is given. */
  public static final int DEFAULT_PORT = 8325;

  @Spec CommandSpec spec;

  @Mixin AwsOptions aws;

  @Mixin RecordMacOptions mac;

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "" + DEFAULT_PORT,
      description = "Loopback port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--table",
      paramLabel = "T",
      defaultValue = "cdk-artifact-metadata",
      description = "Ledger table. Default: ${DEFAULT-VALUE}.")
  String table;

  @Option(
      names = "--audit-table",
      paramLabel = "T",
      defaultValue = "cdk-audit-log",
      description = "Audit log table. Default: ${DEFAULT-VALUE}.")
  String auditTable;

  @Option(
      names = "--anchors-bucket",
      paramLabel = "B",
      defaultValue = "audit-log-anchors",
      description = "The audit anchors' bucket. Default: ${DEFAULT-VALUE}.")
  String anchorsBucket;

  @Option(
      names = "--chain",
      paramLabel = "ID",
      defaultValue = AuditChain.DEFAULT_CHAIN_ID,
      description = "Chain id. Default: ${DEFAULT-VALUE}.")
  String chain;

  @Option(
      names = "--prod-environment",
      paramLabel = "ENV",
      defaultValue = "prod",
      description = "The environment whose deployments the KPIs count. Default: ${DEFAULT-VALUE}.")
  String prodEnvironment;

  @Option(
      names = "--kpi-days",
      paramLabel = "N",
      defaultValue = "30",
      description = "The KPIs' window, in days up to now. Default: ${DEFAULT-VALUE}.")
  int kpiDays;

  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile java.net.URI url;

  /** Where the dashboard listens, once it does (tests that start the command in-process). */
  public java.net.URI url() {
    return url;
  }

  /** Stops a command started in-process (what Ctrl-C does). */
  public void stop() {
    stop.countDown();
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (port < 0 || port > 65535 || kpiDays < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--port must be 0..65535 and --kpi-days at least 1");
    }
    DashboardData data =
        new DashboardData(
            new DashboardData.Sources(
                aws,
                mac,
                table,
                auditTable,
                anchorsBucket,
                chain,
                prodEnvironment,
                Duration.ofDays(kpiDays)),
            Clock.systemUTC());
    DashboardServer server;
    try {
      server = DashboardServer.start(port, data);
    } catch (BindException e) {
      spec.commandLine()
          .getErr()
          .println("error: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
      return CairnCli.EXIT_USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: the dashboard could not start: " + e);
      return CairnCli.EXIT_USAGE;
    }
    Thread hook = new Thread(stop::countDown, "cairn-dashboard-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (server) {
      url = server.url();
      out.println("Cairn dashboard (read-only): " + url);
      out.println("# JSON: " + url + "api/overview; Ctrl-C stops it.");
      out.flush();
      stop.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the JVM is already stopping; the server closes all the same.
      }
      url = null;
    }
    return CairnCli.EXIT_OK;
  }
}
