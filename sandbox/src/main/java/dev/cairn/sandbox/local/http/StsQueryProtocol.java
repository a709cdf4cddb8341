package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * STS over its query protocol (version 2011-06-15: form-encoded {@code Action=...} requests, XML
 * responses), as {@code cdk-assets} (AWS SDK for JavaScript v3) and the AWS SDK for Java v2 send
 * it: {@code GetCallerIdentity} and {@code AssumeRole}.
 *
 * <p>{@code AssumeRole} issues a session of the role only if the role exists in one of the
 * sandbox's accounts; otherwise it is refused as STS refuses it ({@code AccessDenied}). Whether the
 * caller may assume the role (its identity policy and the role's trust policy) is IAM's decision:
 * the call is recorded as the caller's, and the sandbox's IAM evaluation decides it with every
 * other call.
 */
public final class StsQueryProtocol implements LocalAwsEndpoint.Service {

  private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final LocalAwsEndpoint endpoint;
  private final Predicate<String> roleExists;
  private final LocalAwsEndpoint.Recorder recorder;

  /**
   * @param endpoint issues the sessions
   * @param roleExists whether a role ARN names a role of one of the sandbox's accounts
   * @param recorder records each call as its caller's
   */
  public StsQueryProtocol(
      LocalAwsEndpoint endpoint, Predicate<String> roleExists, LocalAwsEndpoint.Recorder recorder) {
    this.endpoint = endpoint;
    this.roleExists = roleExists;
    this.recorder = recorder;
  }

  @Override
  public void handle(LocalAwsEndpoint.Session caller, HttpExchange exchange, byte[] body)
      throws IOException {
    Map<String, String> params =
        new LinkedHashMap<>(LocalAwsEndpoint.query(exchange.getRequestURI()));
    params.putAll(FormEncoding.decode(new String(body, StandardCharsets.UTF_8)));
    String action = params.getOrDefault("Action", "");
    switch (action) {
      case "GetCallerIdentity" -> getCallerIdentity(caller, exchange);
      case "AssumeRole" -> assumeRole(caller, exchange, params);
      default ->
          LocalAwsEndpoint.error(
              exchange,
              400,
              "InvalidAction",
              "Could not find operation " + action + " for version 2011-06-15");
    }
  }

  private void getCallerIdentity(LocalAwsEndpoint.Session caller, HttpExchange exchange)
      throws IOException {
    recorder.record(
        caller.principalArn(),
        "Sts",
        "GetCallerIdentity",
        GetCallerIdentityRequest.builder().build());
    respond(
        exchange,
        "GetCallerIdentity",
        Xml.element("Arn", sessionArn(caller.principalArn(), caller.sessionName()))
            + Xml.element("UserId", roleId(caller.principalArn()) + ":" + caller.sessionName())
            + Xml.element("Account", caller.account()));
  }

  private void assumeRole(
      LocalAwsEndpoint.Session caller, HttpExchange exchange, Map<String, String> params)
      throws IOException {
    String roleArn = params.get("RoleArn");
    String sessionName = params.get("RoleSessionName");
    if (roleArn == null || !roleArn.matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
      LocalAwsEndpoint.error(exchange, 400, "ValidationError", "RoleArn is not a role ARN");
      return;
    }
    if (sessionName == null || !sessionName.matches("[\\w+=,.@-]{2,64}")) {
      LocalAwsEndpoint.error(
          exchange,
          400,
          "ValidationError",
          "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
      return;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(params.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      LocalAwsEndpoint.error(exchange, 400, "ValidationError", "DurationSeconds is not a number");
      return;
    }
    if (seconds < 900 || seconds > 43200) {
      LocalAwsEndpoint.error(
          exchange,
          400,
          "ValidationError",
          "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint");
      return;
    }
    List<Tag> tags = new ArrayList<>();
    for (int i = 1; params.containsKey("Tags.member." + i + ".Key"); i++) {
      tags.add(
          Tag.builder()
              .key(params.get("Tags.member." + i + ".Key"))
              .value(params.get("Tags.member." + i + ".Value"))
              .build());
    }
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(roleArn)
            .roleSessionName(sessionName)
            .durationSeconds(seconds)
            .externalId(params.get("ExternalId"))
            .sourceIdentity(params.get("SourceIdentity"));
    if (!tags.isEmpty()) {
      request.tags(tags);
    }
    if (!roleExists.test(roleArn)) {
      // What STS answers for a role that does not exist: the same as for a refused trust.
      LocalAwsEndpoint.error(
          exchange,
          403,
          "AccessDenied",
          "User: "
              + sessionArn(caller.principalArn(), caller.sessionName())
              + " is not authorized to perform: sts:AssumeRole on resource: "
              + roleArn);
      return;
    }
    recorder.record(caller.principalArn(), "Sts", "AssumeRole", request.build());
    LocalAwsEndpoint.Session s = endpoint.issue(roleArn, sessionName, Duration.ofSeconds(seconds));
    respond(
        exchange,
        "AssumeRole",
        "<Credentials>"
            + Xml.element("AccessKeyId", s.accessKeyId())
            + Xml.element("SecretAccessKey", s.secretAccessKey())
            + Xml.element("SessionToken", s.sessionToken())
            + Xml.element("Expiration", s.expiration().toString())
            + "</Credentials><AssumedRoleUser>"
            + Xml.element("AssumedRoleId", roleId(roleArn) + ":" + sessionName)
            + Xml.element("Arn", sessionArn(roleArn, sessionName))
            + "</AssumedRoleUser>");
  }

  /** {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION} for a role principal. */
  static String sessionArn(String principalArn, String sessionName) {
    String[] parts = principalArn.split(":", 6);
    String resource = parts[5];
    if (!resource.startsWith("role/")) {
      return principalArn;
    }
    String name = resource.substring(resource.lastIndexOf('/') + 1);
    return "arn:aws:sts::" + parts[4] + ":assumed-role/" + name + "/" + sessionName;
  }

  /** A stable role id (AROA...) derived from the role ARN, as IAM gives each role one. */
  static String roleId(String roleArn) {
    return "AROA"
        + dev.cairn.core.integrity.Sha256.hex(roleArn.getBytes(StandardCharsets.UTF_8))
            .toUpperCase(java.util.Locale.ROOT)
            .substring(0, 17);
  }

  private static void respond(HttpExchange exchange, String action, String result)
      throws IOException {
    String xml =
        "<"
            + action
            + "Response xmlns=\""
            + NAMESPACE
            + "\"><"
            + action
            + "Result>"
            + result
            + "</"
            + action
            + "Result><ResponseMetadata><RequestId>sandbox</RequestId></ResponseMetadata></"
            + action
            + "Response>\n";
    LocalAwsEndpoint.send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
  }
}
