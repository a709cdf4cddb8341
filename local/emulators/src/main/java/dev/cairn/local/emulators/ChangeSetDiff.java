package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.IntrinsicResolver.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeAction;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.ChangeSource;
import software.amazon.awssdk.services.cloudformation.model.ChangeType;
import software.amazon.awssdk.services.cloudformation.model.EvaluationType;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.RequiresRecreation;
import software.amazon.awssdk.services.cloudformation.model.ResourceAttribute;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.ResourceChangeDetail;
import software.amazon.awssdk.services.cloudformation.model.ResourceTargetDefinition;

/**
 * The change-set diff of {@link CloudFormationEmulator}: the changes per logical ID between the
 * deployed resources and a change set's, both with parameters substituted. See the emulator's class
 * comment for the rules (Add, Remove, Modify on Properties and Metadata, stack-tag changes, the
 * replacement rule of {@link CloudFormationEmulator#REPLACEMENT_PROPERTIES}).
 */
final class ChangeSetDiff {

  private ChangeSetDiff() {}

  /**
   * Fills {@code cs.changes} with the changes from its stack's deployed resources (none for a
   * CREATE change set) to the change set's, both with parameter {@code Ref}s substituted; returns
   * the failure reason, or null.
   */
  static String compute(EmulatedChangeSet cs) {
    EmulatedStack stack = cs.stack;
    Map<String, JsonNode> before = new LinkedHashMap<>();
    if (cs.type == ChangeSetType.UPDATE && stack.deployed != null) {
      JsonNode resolved = resolve(stack.deployed.root().get("Resources"), stack.deployedParameters);
      resolved.fields().forEachRemaining(e -> before.put(e.getKey(), e.getValue()));
    }
    Map<String, JsonNode> after = new LinkedHashMap<>();
    resolve(cs.template.root().get("Resources"), cs.parameters)
        .fields()
        .forEachRemaining(e -> after.put(e.getKey(), e.getValue()));
    boolean tagsChanged =
        cs.type == ChangeSetType.UPDATE
            && !new HashSet<>(stack.tags).equals(new HashSet<>(cs.tags));

    ChangeSetDiff.Result diff =
        ChangeSetDiff.diff(cs.id, before, after, tagsChanged, stack.physicalIds);
    if (diff.failure() == null) {
      cs.changes = diff.changes();
    }
    return diff.failure();
  }

  /** The changes, or the reason the change set fails (then no changes). */
  record Result(List<Change> changes, String failure) {}

  /**
   * The changes from {@code before} to {@code after} ({@code {logicalId: resource}}), named for
   * change set {@code changeSetId}; {@code physicalIds} are the deployed resources'.
   */
  static Result diff(
      String changeSetId,
      Map<String, JsonNode> before,
      Map<String, JsonNode> after,
      boolean tagsChanged,
      Map<String, String> physicalIds) {
    List<String> typeChanged = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : after.entrySet()) {
      JsonNode old = before.get(e.getKey());
      if (old != null && !type(old).equals(type(e.getValue()))) {
        typeChanged.add(e.getKey());
      }
    }
    if (!typeChanged.isEmpty()) {
      return new Result(
          List.of(),
          "Update of resource type is not permitted. The new template modifies resource type of the following resources: "
              + typeChanged);
    }

    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : after.entrySet()) {
      String id = e.getKey();
      JsonNode now = e.getValue();
      JsonNode old = before.get(id);
      if (old == null) {
        changes.add(
            change(
                changeSetId,
                physicalIds,
                id,
                type(now),
                ChangeAction.ADD,
                null,
                List.of(),
                List.of()));
        continue;
      }
      List<ResourceAttribute> scope = new ArrayList<>();
      List<ResourceChangeDetail> details = new ArrayList<>();
      Replacement replacement = Replacement.FALSE;
      JsonNode oldProps = old.path("Properties");
      JsonNode newProps = now.path("Properties");
      if (!oldProps.equals(newProps)) {
        scope.add(ResourceAttribute.PROPERTIES);
        Set<String> names = new TreeSet<>();
        oldProps.fieldNames().forEachRemaining(names::add);
        newProps.fieldNames().forEachRemaining(names::add);
        Set<String> replacing =
            CloudFormationEmulator.REPLACEMENT_PROPERTIES.getOrDefault(type(now), Set.of());
        for (String name : names) {
          JsonNode a = oldProps.get(name);
          JsonNode b = newProps.get(name);
          if (a == null ? b == null : a.equals(b)) {
            continue;
          }
          boolean dynamic = intrinsic(a) || intrinsic(b);
          RequiresRecreation rr;
          if (!replacing.contains(name)) {
            rr = RequiresRecreation.NEVER;
          } else if (dynamic) {
            rr = RequiresRecreation.CONDITIONALLY;
            if (replacement == Replacement.FALSE) {
              replacement = Replacement.CONDITIONAL;
            }
          } else {
            rr = RequiresRecreation.ALWAYS;
            replacement = Replacement.TRUE;
          }
          details.add(
              ResourceChangeDetail.builder()
                  .target(
                      ResourceTargetDefinition.builder()
                          .attribute(ResourceAttribute.PROPERTIES)
                          .name(name)
                          .requiresRecreation(rr)
                          .build())
                  .evaluation(dynamic ? EvaluationType.DYNAMIC : EvaluationType.STATIC)
                  .changeSource(ChangeSource.DIRECT_MODIFICATION)
                  .build());
        }
      }
      if (!old.path("Metadata").equals(now.path("Metadata"))) {
        scope.add(ResourceAttribute.METADATA);
      }
      if (tagsChanged) {
        scope.add(ResourceAttribute.TAGS);
      }
      if (!scope.isEmpty()) {
        changes.add(
            change(
                changeSetId,
                physicalIds,
                id,
                type(now),
                ChangeAction.MODIFY,
                replacement,
                scope,
                details));
      }
    }
    for (Map.Entry<String, JsonNode> e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        changes.add(
            change(
                changeSetId,
                physicalIds,
                e.getKey(),
                type(e.getValue()),
                ChangeAction.REMOVE,
                null,
                List.of(),
                List.of()));
      }
    }
    return new Result(List.copyOf(changes), null);
  }

  private static Change change(
      String changeSetId,
      Map<String, String> physicalIds,
      String logicalId,
      String type,
      ChangeAction action,
      Replacement replacement,
      List<ResourceAttribute> scope,
      List<ResourceChangeDetail> details) {
    ResourceChange.Builder rc =
        ResourceChange.builder()
            .action(action)
            .logicalResourceId(logicalId)
            .resourceType(type)
            .scope(scope)
            .details(details)
            .changeSetId(changeSetId);
    if (action != ChangeAction.ADD) {
      rc.physicalResourceId(physicalIds.get(logicalId));
    }
    if (replacement != null) {
      rc.replacement(replacement);
    }
    return Change.builder().type(ChangeType.RESOURCE).resourceChange(rc.build()).build();
  }

  /** True if the value contains an intrinsic function (after parameter substitution). */
  private static boolean intrinsic(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (node.isObject()) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (n.equals("Ref") || n.startsWith("Fn::")) {
          return true;
        }
      }
    }
    for (JsonNode child : node) {
      if (intrinsic(child)) {
        return true;
      }
    }
    return false;
  }

  private static String type(JsonNode resource) {
    return resource.path("Type").asText();
  }
}
