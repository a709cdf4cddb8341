package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.validation;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;

/**
 * What {@code CreateChangeSet} checks of its inputs against the template: the parameters (declared,
 * given or defaulted, {@code UsePreviousValue}) and the capabilities the template's resources need,
 * also those a nested stack's template needs when its parent creates it.
 */
final class ChangeSetInputs {

  private ChangeSetInputs() {}

  private static final Set<String> IAM_TYPES =
      Set.of(
          "AWS::IAM::AccessKey",
          "AWS::IAM::Group",
          "AWS::IAM::InstanceProfile",
          "AWS::IAM::ManagedPolicy",
          "AWS::IAM::Policy",
          "AWS::IAM::Role",
          "AWS::IAM::User",
          "AWS::IAM::UserToGroupAddition");

  private static final Set<String> IAM_NAME_PROPERTIES =
      Set.of("RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName");

  /**
   * The parameter values a change set runs with: those given (or the previous value, for {@code
   * UsePreviousValue}), then the template's defaults; a ValidationError for a parameter the
   * template does not declare or a declared one with no value.
   */
  static Map<String, String> parameters(
      Template template, List<Parameter> given, EmulatedStack stack) {
    JsonNode declared = template.root().path("Parameters");
    Map<String, String> values = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Parameter p : given) {
      if (!declared.has(p.parameterKey())) {
        unknown.add(p.parameterKey());
        continue;
      }
      if (Boolean.TRUE.equals(p.usePreviousValue())) {
        String previous =
            stack == null || stack.deployedParameters == null
                ? null
                : stack.deployedParameters.get(p.parameterKey());
        if (previous == null) {
          throw validation(
              "Invalid input for parameter key "
                  + p.parameterKey()
                  + ". Cannot specify usePreviousValue as true for a parameter key not in the previous template");
        }
        values.put(p.parameterKey(), previous);
      } else {
        values.put(p.parameterKey(), p.parameterValue());
      }
    }
    if (!unknown.isEmpty()) {
      throw validation("Parameters: " + unknown + " do not exist in the template");
    }
    List<String> missing = new ArrayList<>();
    declared
        .fields()
        .forEachRemaining(
            e -> {
              if (!values.containsKey(e.getKey())) {
                JsonNode def = e.getValue().get("Default");
                if (def == null) {
                  missing.add(e.getKey());
                } else {
                  values.put(e.getKey(), def.isTextual() ? def.asText() : def.toString());
                }
              }
            });
    if (!missing.isEmpty()) {
      throw validation("Parameters: " + missing + " must have values");
    }
    return values;
  }

  /**
   * Refuses a template with IAM resources unless {@code CAPABILITY_IAM} (or {@code
   * CAPABILITY_NAMED_IAM}) is given, and one with named IAM resources unless {@code
   * CAPABILITY_NAMED_IAM} is.
   */
  static void checkCapabilities(Template template, List<Capability> given) {
    boolean iam = false;
    boolean namedIam = false;
    Iterator<Map.Entry<String, JsonNode>> it = template.resources();
    while (it.hasNext()) {
      JsonNode r = it.next().getValue();
      if (IAM_TYPES.contains(type(r))) {
        iam = true;
        for (String p : IAM_NAME_PROPERTIES) {
          if (r.path("Properties").has(p)) {
            namedIam = true;
          }
        }
      }
    }
    if (namedIam && !given.contains(Capability.CAPABILITY_NAMED_IAM)) {
      throw insufficient("CAPABILITY_NAMED_IAM");
    }
    if (iam
        && !given.contains(Capability.CAPABILITY_IAM)
        && !given.contains(Capability.CAPABILITY_NAMED_IAM)) {
      throw insufficient("CAPABILITY_IAM");
    }
    // A macro needs no acknowledgement in a change set: "This capacity doesn't apply to creating
    // change sets, and specifying it when creating change sets has no effect." (API reference,
    // CreateChangeSet, Capabilities, CAPABILITY_AUTO_EXPAND). A nested stack whose template holds
    // one does: see nestedCapabilityFailure.
  }

  /**
   * The capability a nested stack's template needs and its parent's change set did not give, or
   * null. A nested stack is created with its parent's capabilities; CloudFormation checks them when
   * it creates the nested stack, which fails ("Requires capabilities : [CAPABILITY_AUTO_EXPAND]"
   * for a nested template with a macro, as SAM's nested applications report it:
   * aws/aws-toolkit-jetbrains#1394) and fails its parent.
   */
  static String nestedCapabilityFailure(Template template, List<Capability> given) {
    try {
      checkCapabilities(template, given);
    } catch (InsufficientCapabilitiesException e) {
      return e.awsErrorDetails().errorMessage();
    }
    if (template.root().has("Transform") && !given.contains(Capability.CAPABILITY_AUTO_EXPAND)) {
      return "Requires capabilities : [CAPABILITY_AUTO_EXPAND]";
    }
    return null;
  }

  private static InsufficientCapabilitiesException insufficient(String capability) {
    return AwsErrors.error(
        InsufficientCapabilitiesException.builder(),
        "CloudFormation",
        "InsufficientCapabilitiesException",
        400,
        "Requires capabilities : [" + capability + "]");
  }
}
