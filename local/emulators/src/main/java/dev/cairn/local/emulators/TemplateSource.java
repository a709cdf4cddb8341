package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where the CloudFormation emulator's templates come from, as CloudFormation reads them: {@code
 * TemplateBody}, {@code TemplateURL} (an {@code https://} S3 URL, fetched with the caller's
 * credentials and reported to the {@link TemplateFetchListener} first) or the deployed template,
 * with the service's size limits and template format errors.
 */
final class TemplateSource {

  private static final Set<String> TEMPLATE_SECTIONS =
      Set.of(
          "AWSTemplateFormatVersion",
          "Description",
          "Metadata",
          "Parameters",
          "Rules",
          "Mappings",
          "Conditions",
          "Transform",
          "Resources",
          "Outputs",
          "Hooks");

  private static final Pattern VIRTUAL_HOSTED =
      Pattern.compile("^(.+)\\.s3(?:[.-]([a-z0-9-]+))?\\.amazonaws\\.com(?:\\.cn)?$");

  private static final Pattern PATH_STYLE =
      Pattern.compile("^s3(?:[.-]([a-z0-9-]+))?\\.amazonaws\\.com(?:\\.cn)?$");

  /** {@code versionId=<id>}, alone: S3's query parameter naming an object version. */
  private static final Pattern VERSION_QUERY = Pattern.compile("versionId=[^&=]+");

  static final int MAX_TEMPLATE_BODY = 51_200;
  static final int MAX_TEMPLATE_URL_OBJECT = 1_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final S3Client s3;
  private volatile TemplateFetchListener fetches = TemplateFetchListener.NONE;

  TemplateSource(String account, S3Client s3) {
    this.account = account;
    this.s3 = s3;
  }

  void onFetch(TemplateFetchListener listener) {
    this.fetches = Objects.requireNonNull(listener, "listener");
  }

  /** Who is told of what CloudFormation does with the caller's credentials for a template. */
  TemplateFetchListener caller() {
    return fetches;
  }

  /**
   * The template a change set names: exactly one of {@code TemplateBody} (at most 51,200 bytes),
   * {@code TemplateURL} (read as the caller, at most 1,000,000 bytes) or {@code
   * UsePreviousTemplate} ({@code deployed}, null when the stack has none).
   */
  Template forChangeSet(CreateChangeSetRequest request, Template deployed) {
    int sources =
        (request.templateURL() != null ? 1 : 0)
            + (request.templateBody() != null ? 1 : 0)
            + (Boolean.TRUE.equals(request.usePreviousTemplate()) ? 1 : 0);
    if (sources == 0) {
      throw validation("Either Template URL or Template Body must be specified.");
    }
    if (sources > 1) {
      throw validation("Specify exactly one of TemplateBody, TemplateURL or UsePreviousTemplate.");
    }
    if (Boolean.TRUE.equals(request.usePreviousTemplate())) {
      if (deployed == null) {
        throw validation("UsePreviousTemplate can only be used for an existing stack.");
      }
      return deployed;
    }
    String body;
    if (request.templateBody() != null) {
      body = request.templateBody();
      if (body.getBytes(StandardCharsets.UTF_8).length > MAX_TEMPLATE_BODY) {
        throw validation(
            "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200");
      }
    } else {
      body = read(request.templateURL());
    }
    return parse(body);
  }

  /**
   * The bucket and key a template URL names, or a ValidationError. The only query accepted is S3's
   * own {@code versionId=} ({@link #versionId}): the URL then names one object version.
   */
  static String[] bucketAndKey(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw validation("TemplateURL must be a supported URL.");
    }
    String host = uri.getHost();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String scheme = uri.getScheme();
    if (host == null || scheme == null || path.length() < 2) {
      throw validation("TemplateURL must be a supported URL.");
    }
    // "The location for an Amazon S3 bucket must start with https://" (API reference,
    // CreateChangeSet TemplateURL); plain http and non-S3 hosts are refused.
    String query = uri.getRawQuery();
    if (!scheme.equals("https")
        || uri.getPort() != -1
        || (query != null && !VERSION_QUERY.matcher(query).matches())) {
      throw validation("TemplateURL must be a supported URL.");
    }
    Matcher vh = VIRTUAL_HOSTED.matcher(host);
    if (vh.matches()) {
      return new String[] {vh.group(1), decode(path.substring(1))};
    }
    if (PATH_STYLE.matcher(host).matches()) {
      return splitPath(path);
    }
    throw validation("TemplateURL must be a supported URL.");
  }

  /** The object version a template URL names ({@code ?versionId=}), or null for the current one. */
  static String versionId(String url) {
    String query = URI.create(url).getRawQuery();
    return query == null ? null : decode(query.substring("versionId=".length()));
  }

  private static String[] splitPath(String rawPath) {
    int slash = rawPath.indexOf('/', 1);
    if (slash < 0 || slash == rawPath.length() - 1) {
      throw validation("TemplateURL must be a supported URL.");
    }
    return new String[] {decode(rawPath.substring(1, slash)), decode(rawPath.substring(slash + 1))};
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Fetches the template as the caller would: reported to the listener, then read. */
  String read(String url) {
    String[] bk = bucketAndKey(url);
    String version = versionId(url);
    fetches.fetched(account, bk[0], bk[1], version);
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(r -> r.bucket(bk[0]).key(bk[1]).versionId(version)).asByteArray();
    } catch (S3Exception e) {
      // NoSuchBucket, NoSuchKey and AccessDenied: see TEMPLATE_ACCESS_DENIED.
      throw validation(CloudFormationEmulator.TEMPLATE_ACCESS_DENIED);
    }
    if (bytes.length > MAX_TEMPLATE_URL_OBJECT) {
      throw validation("Template may not exceed 1000000 bytes in size.");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static Template parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw validation(
          "Template format error: JSON not well-formed. (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    }
    if (root == null || !root.isObject()) {
      throw validation("Template format error: JSON not well-formed.");
    }
    List<String> unknown = new ArrayList<>();
    root.fieldNames()
        .forEachRemaining(
            f -> {
              if (!TEMPLATE_SECTIONS.contains(f)) {
                unknown.add(f);
              }
            });
    if (!unknown.isEmpty()) {
      throw validation(
          "Template format error: Invalid template property or properties "
              + unknown.toString().replace(" ", ""));
    }
    JsonNode resources = root.get("Resources");
    if (resources == null || !resources.isObject() || resources.isEmpty()) {
      throw validation("Template format error: At least one Resources member must be defined.");
    }
    Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isObject()) {
        throw validation("Template format error: Every Resources member must be an object.");
      }
      JsonNode type = e.getValue().get("Type");
      if (type == null || !type.isTextual()) {
        throw validation(
            "Template format error: [/Resources/"
                + e.getKey()
                + "] Every Resources object must contain a Type member.");
      }
    }
    return new Template(body, (ObjectNode) root);
  }
}
