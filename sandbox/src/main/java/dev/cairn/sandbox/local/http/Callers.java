package dev.cairn.sandbox.local.http;

import com.sun.net.httpserver.HttpExchange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who signed a request: the access key id of its SigV4 {@code Authorization} header, mapped to the
 * principal the sandbox records the call as. Keys issued by the local STS ({@code AssumeRole}) map
 * to their role; any other key (the user's own credentials, whatever they are) maps to the default
 * principal, so that any credentials work locally.
 */
public final class Callers {

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

  private final String defaultPrincipal;
  private final Map<String, String> issued = new ConcurrentHashMap<>();

  public Callers(String defaultPrincipal) {
    this.defaultPrincipal = defaultPrincipal;
  }

  /** A key the local STS issued for {@code principalArn}. */
  public void issue(String accessKeyId, String principalArn) {
    issued.put(accessKeyId, principalArn);
  }

  /** The principal of a request (the default one when it is unsigned or signed by another key). */
  public String of(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null) {
      return defaultPrincipal;
    }
    Matcher m = CREDENTIAL.matcher(auth);
    return m.find() ? issued.getOrDefault(m.group(1), defaultPrincipal) : defaultPrincipal;
  }

  /** The access key id a request was signed with, or null when it is unsigned. */
  public String accessKeyOf(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
    return m != null && m.find() ? m.group(1) : null;
  }

  public String defaultPrincipal() {
    return defaultPrincipal;
  }
}
