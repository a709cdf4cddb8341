package dev.cairn.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Transform} section of a change set's template, processed as CloudFormation processes
 * it when it creates the change set, for what the emulator can model honestly.
 *
 * <p>Only {@value #SAM}: "When creating a change set from the template, CloudFormation expands the
 * AWS SAM syntax, as defined by the transform" (User Guide, "AWS::Serverless transform"). The
 * transform rewrites only {@code AWS::Serverless::*} resources and the SAM-only {@code Globals}
 * section; a template with neither expands to itself without its {@code Transform} key. The
 * emulator holds no SAM translator, so a template with either is refused ({@link #unsupported}), as
 * is any other transform ({@code AWS::Include}, {@code AWS::LanguageExtensions}, a macro).
 *
 * <p>CloudFormation authorizes the caller's {@code cloudformation:CreateChangeSet} also on the
 * transform: "To allow AWS::Serverless transforms to create a change set, the policy should include
 * the arn:aws:cloudformation:&lt;region&gt;:aws:transform/Serverless-2016-10-31 resource-level
 * permission" (User Guide, "Control access with IAM"). That authorization is reported to the
 * caller's listener ({@link TemplateFetchListener#transformAuthorized}), for the IAM check to
 * decide as it decides the template fetch.
 *
 * <p>{@code CAPABILITY_AUTO_EXPAND} is not required here: for change sets "This capacity doesn't
 * apply to creating change sets, and specifying it when creating change sets has no effect" (API
 * reference, CreateChangeSet, Capabilities).
 */
public final class TemplateTransforms {

  /** The AWS SAM transform. */
  public static final String SAM = "AWS::Serverless-2016-10-31";

  private TemplateTransforms() {}

  /**
   * What in {@code template} the emulator cannot expand, or empty: another transform than {@value
   * #SAM}, or, with it, {@code AWS::Serverless::*} resources or a {@code Globals} section.
   */
  public static Optional<String> unsupported(JsonNode template) {
    if (!template.has("Transform")) {
      return Optional.empty();
    }
    List<String> names = names(template.get("Transform"));
    List<String> others = names.stream().filter(n -> !n.equals(SAM)).toList();
    if (!others.isEmpty() || names.isEmpty()) {
      return Optional.of("the transform " + template.get("Transform"));
    }
    Set<String> serverless = new TreeSet<>();
    template
        .path("Resources")
        .forEach(
            r -> {
              if (r.path("Type").asText("").startsWith("AWS::Serverless::")) {
                serverless.add(r.path("Type").asText());
              }
            });
    if (template.has("Globals")) {
      serverless.add("Globals");
    }
    return serverless.isEmpty()
        ? Optional.empty()
        : Optional.of("the transform " + SAM + " for " + serverless);
  }

  /**
   * {@code template} as processed, each transform's authorization reported to {@code caller}.
   *
   * @throws UnsupportedOperationException for what {@link #unsupported} names
   */
  static Template process(
      Template template, String account, String region, TemplateFetchListener caller) {
    ObjectNode root = template.root();
    if (!root.has("Transform")) {
      return template;
    }
    Optional<String> refused = unsupported(root);
    if (refused.isPresent()) {
      throw new UnsupportedOperationException(
          "CloudFormationEmulator: cannot expand " + refused.get());
    }
    caller.transformAuthorized(account, transformArn(region, SAM));
    ObjectNode processed = root.deepCopy();
    processed.remove("Transform");
    return TemplateSource.parse(processed.toString());
  }

  /** The resource CloudFormation authorizes a transform's change set on (AWS-owned, no account). */
  public static String transformArn(String region, String transform) {
    return "arn:"
        + (region.startsWith("cn-")
            ? "aws-cn"
            : region.startsWith("us-gov-") ? "aws-us-gov" : "aws")
        + ":cloudformation:"
        + region
        + ":aws:transform/"
        + transform.substring("AWS::".length());
  }

  private static List<String> names(JsonNode transform) {
    List<String> out = new ArrayList<>();
    if (transform.isTextual()) {
      out.add(transform.asText());
    } else if (transform.isArray()) {
      transform.forEach(t -> out.add(t.isTextual() ? t.asText() : t.toString()));
    } else {
      out.add(transform.toString());
    }
    return out;
  }
}
