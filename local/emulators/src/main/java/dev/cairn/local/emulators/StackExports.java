package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.required;
import static dev.cairn.local.emulators.CloudFormationErrors.validation;
import static dev.cairn.local.emulators.IntrinsicResolver.resolve;
import static dev.cairn.local.emulators.IntrinsicResolver.resourceMap;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudformation.model.Export;
import software.amazon.awssdk.services.cloudformation.model.ListExportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListExportsResponse;
import software.amazon.awssdk.services.cloudformation.model.ListImportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListImportsResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Across stacks: a deployed template's outputs and the exports they make, the names it imports, and
 * what stops an execution across stacks (a missing export, a name another stack exports, an export
 * in use that would change or go). {@code ListExports} and {@code ListImports} answer from here.
 */
final class StackExports {

  private final StackRegistry registry;
  private final IntrinsicResolver resolver;

  StackExports(StackRegistry registry, IntrinsicResolver resolver) {
    this.registry = registry;
    this.resolver = resolver;
  }

  /**
   * Records {@code template} as deployed in {@code stack}, with its outputs and registry.exports
   * computed from the resources' physical IDs. An output whose value the emulator cannot compute
   * (an attribute other than those {@link IntrinsicResolver#resolveReferences} knows) shows the
   * value as written, in JSON, with the references it could resolve resolved: deterministic, and
   * different whenever a resource it names is replaced (deliberate deviation: CloudFormation shows
   * the attribute's value).
   */
  void commit(EmulatedStack stack, Template template, Map<String, String> parameters) {
    stack.deployed = template;
    stack.deployedParameters = parameters;
    Map<String, JsonNode> resources = resourceMap(template, parameters);
    stack.outputs = outputs(stack, template, resources, stack.physicalIds, parameters);
    stack.imports = importNames(stack, template, resources, stack.physicalIds, parameters);
    registry.unexport(stack);
    for (Output o : stack.outputs) {
      if (o.exportName() != null) {
        registry.exports.put(
            o.exportName(),
            new StackRegistry.StackExport(o.exportName(), o.outputValue(), stack.id, stack.name));
      }
    }
  }

  List<Output> outputs(
      EmulatedStack stack,
      Template template,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    List<Output> out = new ArrayList<>();
    JsonNode declared = resolve(template.root().path("Outputs"), parameters);
    declared
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode v =
                  resolver.resolveReferences(
                      e.getValue().path("Value"), stack, resources, ids, parameters);
              Output.Builder o =
                  Output.builder()
                      .outputKey(e.getKey())
                      .outputValue(v.isValueNode() ? v.asText() : v.toString())
                      .description(e.getValue().path("Description").textValue());
              JsonNode name = e.getValue().path("Export").path("Name");
              if (!name.isMissingNode()) {
                JsonNode n = resolver.resolveReferences(name, stack, resources, ids, parameters);
                o.exportName(n.isValueNode() ? n.asText() : n.toString());
              }
              out.add(o.build());
            });
    return out;
  }

  /** The export names the template's resources and outputs import with {@code Fn::ImportValue}. */
  Set<String> importNames(
      EmulatedStack stack,
      Template template,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters) {
    Set<String> names = new TreeSet<>();
    List<JsonNode> found = new ArrayList<>();
    collectImports(resources.values(), found);
    collectImports(List.of(resolve(template.root().path("Outputs"), parameters)), found);
    for (JsonNode arg : found) {
      JsonNode n = resolver.resolveReferences(arg, stack, resources, ids, parameters);
      names.add(n.isValueNode() ? n.asText() : n.toString());
    }
    return names;
  }

  private static void collectImports(Iterable<JsonNode> nodes, List<JsonNode> found) {
    for (JsonNode node : nodes) {
      if (node.isObject() && node.size() == 1 && node.has("Fn::ImportValue")) {
        found.add(node.get("Fn::ImportValue"));
      } else if (node.isContainerNode()) {
        collectImports(node, found);
      }
    }
  }

  /**
   * What stops an execution across registry.stacks, or null, checked in this order:
   *
   * <ol>
   *   <li>an {@code Fn::ImportValue} of a name no stack registry.exports: "No export named X
   *       found", as CloudFormation reports it, followed for a top-level stack by ". Rollback
   *       requested by user." (aws-cloudformation/aws-cloudformation-templates#263; for a nested
   *       stack, its parent reports "Embedded stack ... was not successfully created: No export
   *       named X found", aws-samples/aws-saas-factory-bootcamp#26);
   *   <li>an export name another stack registry.exports: "For each AWS account, Export names must
   *       be unique within a region." (User Guide), reported as "Export with name X is already
   *       exported by stack Y" (aws-amplify/amplify-cli#1581);
   *   <li>an export other registry.stacks import that the update removes or changes: "After another
   *       stack imports an output value, you can't delete the stack that is exporting the output
   *       value or modify the exported output value." (User Guide), reported as "Export X cannot be
   *       deleted as it is in use by Y" (aws/aws-cdk#17741) or "Cannot update export X as it is in
   *       use by Y".
   * </ol>
   */
  String crossStackFailure(
      EmulatedStack stack,
      Template template,
      Map<String, String> parameters,
      Map<String, String> ids,
      boolean topLevel) {
    Map<String, JsonNode> resources = resourceMap(template, parameters);
    for (String name : importNames(stack, template, resources, ids, parameters)) {
      if (!registry.exports.containsKey(name)) {
        return "No export named "
            + name
            + " found"
            + (topLevel ? ". Rollback requested by user." : "");
      }
    }
    Map<String, String> exported = new TreeMap<>();
    for (Output o : outputs(stack, template, resources, ids, parameters)) {
      if (o.exportName() != null) {
        StackRegistry.StackExport other = registry.exports.get(o.exportName());
        if (other != null && !other.stackId().equals(stack.id)) {
          return "Export with name "
              + o.exportName()
              + " is already exported by stack "
              + other.stackName();
        }
        exported.put(o.exportName(), o.outputValue());
      }
    }
    // The nested registry.stacks this execution deletes (removed or replaced) take their
    // registry.exports along.
    List<EmulatedStack> leaving = new ArrayList<>();
    stack.physicalIds.forEach(
        (logicalId, physicalId) -> {
          EmulatedStack nested = registry.stacks.get(physicalId);
          if (nested != null
              && stack.id.equals(nested.parentId)
              && !physicalId.equals(ids.get(logicalId))) {
            leaving.addAll(registry.tree(nested));
          }
        });
    String failure = exportInUse(stack, List.of(stack), exported, registry.tree(stack));
    return failure != null ? failure : exportInUse(stack, leaving, Map.of(), registry.tree(stack));
  }

  /**
   * The failure if an export of one of {@code owners} that a stack outside {@code together} imports
   * is missing from {@code kept} or has another value there (an owner other than {@code stack}
   * keeps nothing: it is being deleted); null otherwise.
   */
  String exportInUse(
      EmulatedStack stack,
      List<EmulatedStack> owners,
      Map<String, String> kept,
      List<EmulatedStack> together) {
    Set<String> leavingIds = new HashSet<>();
    together.forEach(s -> leavingIds.add(s.id));
    for (EmulatedStack owner : owners) {
      for (StackRegistry.StackExport e : registry.exports.values()) {
        if (!e.stackId().equals(owner.id)) {
          continue;
        }
        List<String> importers = importers(e.name(), leavingIds);
        if (importers.isEmpty()) {
          continue;
        }
        String users = String.join(", ", importers);
        if (owner != stack || !kept.containsKey(e.name())) {
          return "Export " + e.name() + " cannot be deleted as it is in use by " + users;
        }
        if (!kept.get(e.name()).equals(e.value())) {
          return "Cannot update export " + e.name() + " as it is in use by " + users;
        }
      }
    }
    return null;
  }

  /**
   * The live registry.stacks, other than {@code except}, whose deployed template imports {@code
   * name}.
   */
  List<String> importers(String name, Set<String> except) {
    List<String> out = new ArrayList<>();
    for (EmulatedStack s : registry.stacks.values()) {
      if (s.status != StackStatus.DELETE_COMPLETE
          && !except.contains(s.id)
          && s.imports.contains(name)) {
        out.add(s.name);
      }
    }
    return out;
  }

  ListExportsResponse listExports(ListExportsRequest request) {
    List<Export> out = new ArrayList<>();
    registry
        .exports
        .values()
        .forEach(
            e ->
                out.add(
                    Export.builder()
                        .exportingStackId(e.stackId())
                        .name(e.name())
                        .value(e.value())
                        .build()));
    return ListExportsResponse.builder().exports(out).build();
  }

  ListImportsResponse listImports(ListImportsRequest request) {
    String name = required(request.exportName(), "exportName");
    List<String> importing = importers(name, Set.of());
    if (importing.isEmpty()) {
      throw validation("Export '" + name + "' is not imported by any stack.");
    }
    return ListImportsResponse.builder().imports(importing).build();
  }
}
