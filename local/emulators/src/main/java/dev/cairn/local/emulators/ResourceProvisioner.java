package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.IntrinsicResolver.resourceMap;
import static dev.cairn.local.emulators.ResourceGraph.NESTED_STACK;
import static dev.cairn.local.emulators.ResourceGraph.creationOrder;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.deploy.CloudFormationTimes;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeAction;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Replacement;
import software.amazon.awssdk.services.cloudformation.model.ResourceAttribute;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;

/**
 * What executing a change set or deleting a stack does to its resources, as CloudFormation's
 * resource handlers would: each resource operation in dependency order, reported to the {@link
 * ResourceOperationListener} with its resolved properties; the physical IDs assigned; nested stacks
 * created, updated and deleted with their parent ({@link #nestedOperation}); a function's container
 * image resolved in this account's ECR ({@link #pullImages}). The stack's statuses are the {@link
 * StackEngine}'s.
 */
final class ResourceProvisioner {

  /** A nested stack failed: its parent's resource fails with this message, and the parent too. */
  static final class NestedStackFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NestedStackFailure(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final String region;
  private final Clock clock;
  private final StackRegistry registry;
  private final TemplateSource templates;
  private final PhysicalIds physical;
  private final IntrinsicResolver resolver;
  private final StackExports exports;
  private final StackOperationTimeline timeline;
  private volatile ResourceOperationListener resourceOperations = ResourceOperationListener.NONE;
  private volatile EcrClient images;

  ResourceProvisioner(
      StackRegistry registry,
      TemplateSource templates,
      PhysicalIds physical,
      IntrinsicResolver resolver,
      StackExports exports,
      StackOperationTimeline timeline,
      Clock clock) {
    this.account = registry.account();
    this.region = registry.region();
    this.clock = clock;
    this.registry = registry;
    this.templates = templates;
    this.physical = physical;
    this.resolver = resolver;
    this.exports = exports;
    this.timeline = timeline;
  }

  void onResourceOperation(ResourceOperationListener listener) {
    this.resourceOperations = Objects.requireNonNull(listener, "listener");
  }

  void imageRegistry(EcrClient registry) {
    this.images = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Reports the resource operations of executing {@code cs}, in CloudFormation's order: creates and
   * updates (a replacement creates the new resource), then on success the cleanup (deletes of
   * removed and replaced resources), on failure the rollback (deletes of the resources it created,
   * updates back to the old properties). A resource whose {@code DeletionPolicy} retains it is not
   * deleted. The failure is not tied to a resource: every forward operation is reported, then the
   * rollback. On success the stack's physical IDs become the new ones at once.
   *
   * <p>The operations are reported with the change set's {@code RoleARN}; without one,
   * CloudFormation acts with the credentials of whoever called ExecuteChangeSet ("CloudFormation
   * service role", User Guide) and the listener gets {@code null}.
   */
  void reportExecution(EmulatedStack stack, EmulatedChangeSet cs, boolean failed) {
    String role = cs.roleArn;
    Map<String, JsonNode> before = resourceMap(stack.deployed, stack.deployedParameters);
    Map<String, JsonNode> after = resourceMap(cs.template, cs.parameters);
    Map<String, String> oldIds = new LinkedHashMap<>(stack.physicalIds);
    Map<String, String> newIds = new LinkedHashMap<>(stack.physicalIds);
    List<String> created = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> updated = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      switch (rc.action()) {
        case ADD -> {
          newIds.put(id, physical.assignId(stack, id, after.get(id)));
          created.add(id);
        }
        case MODIFY -> {
          if (rc.replacement() == Replacement.TRUE) {
            newIds.put(id, physical.assignId(stack, id, after.get(id)));
            replaced.add(id);
          } else if (rc.scope().contains(ResourceAttribute.PROPERTIES)
              || rc.scope().contains(ResourceAttribute.TAGS)) {
            updated.add(id); // a Metadata-only change calls no handler
          }
        }
        case REMOVE -> removed.add(id);
        default -> throw new IllegalStateException("unexpected action " + rc.action());
      }
    }
    // Nested registry.stacks this execution created or updated, undone if a later resource fails.
    Deque<Runnable> undo = new ArrayDeque<>();
    Map<String, List<String>> pulled = new TreeMap<>();
    try {
      for (String id : creationOrder(after)) {
        boolean create = created.contains(id) || replaced.contains(id);
        if (!create && !updated.contains(id)) {
          continue;
        }
        report(stack, role, id, after, newIds, cs.parameters, create ? "CREATE" : "UPDATE");
        if (failed) {
          continue; // an injected failure: nothing is really created or pulled
        }
        JsonNode properties =
            resolver.resolveReferences(
                after.get(id).path("Properties"), stack, after, newIds, cs.parameters);
        List<String> images = pullImages(type(after.get(id)), properties);
        if (!images.isEmpty()) {
          pulled.put(id, images);
        }
        if (type(after.get(id)).equals(NESTED_STACK)) {
          undo.push(nestedOperation(stack, cs, id, properties, newIds.get(id), create));
        }
      }
    } catch (RuntimeException e) {
      undo.forEach(Runnable::run);
      throw e;
    }
    if (!failed) {
      for (String id : reversed(before.keySet())) {
        if ((removed.contains(id) || replaced.contains(id)) && !retained(before.get(id), false)) {
          report(stack, role, id, before, oldIds, stack.deployedParameters, "DELETE");
          if (type(before.get(id)).equals(NESTED_STACK)
              && registry.stacks.containsKey(oldIds.get(id))) {
            EmulatedStack nested = registry.stacks.get(oldIds.get(id));
            reportDeletion(nested, role);
            registry.tree(nested).forEach(registry::deleted);
          }
        }
      }
      removed.forEach(newIds::remove);
      stack.physicalIds.clear();
      stack.physicalIds.putAll(newIds);
      stack.pulledImages = pulled;
      return;
    }
    boolean creation = cs.type == ChangeSetType.CREATE;
    for (String id : reversed(after.keySet())) {
      if ((created.contains(id) || replaced.contains(id)) && !retained(after.get(id), creation)) {
        report(stack, role, id, after, newIds, cs.parameters, "DELETE");
      } else if (updated.contains(id)) {
        report(stack, role, id, before, oldIds, stack.deployedParameters, "UPDATE");
      }
    }
  }

  /**
   * Reports the deletes of {@code DeleteStack}, last resource first, as {@code roleArn}; a nested
   * stack's resources are deleted before the nested stack itself.
   */
  void reportDeletion(EmulatedStack stack, String roleArn) {
    Map<String, JsonNode> deployed = resourceMap(stack.deployed, stack.deployedParameters);
    List<String> order = creationOrder(deployed);
    java.util.Collections.reverse(order);
    for (String id : order) {
      if (!retained(deployed.get(id), false) && stack.physicalIds.containsKey(id)) {
        if (type(deployed.get(id)).equals(NESTED_STACK)
            && registry.stacks.containsKey(stack.physicalIds.get(id))) {
          reportDeletion(registry.stacks.get(stack.physicalIds.get(id)), roleArn);
        }
        report(stack, roleArn, id, deployed, stack.physicalIds, stack.deployedParameters, "DELETE");
      }
    }
  }

  private void report(
      EmulatedStack stack,
      String role,
      String logicalId,
      Map<String, JsonNode> resources,
      Map<String, String> ids,
      Map<String, String> parameters,
      String operation) {
    JsonNode resource = resources.get(logicalId);
    JsonNode properties =
        resolver.resolveReferences(resource.path("Properties"), stack, resources, ids, parameters);
    resourceOperations.operated(
        account,
        region,
        role,
        stack.name,
        logicalId,
        type(resource),
        operation,
        ids.get(logicalId),
        properties.isMissingNode() ? JSON.createObjectNode() : properties);
  }

  private static List<String> reversed(Set<String> ids) {
    List<String> out = new ArrayList<>(ids);
    java.util.Collections.reverse(out);
    return out;
  }

  /** True if the resource's {@code DeletionPolicy} keeps it when CloudFormation would delete it. */
  private static boolean retained(JsonNode resource, boolean rollbackOfCreation) {
    String policy = resource.path("DeletionPolicy").asText("Delete");
    return policy.equals("Retain")
        || (policy.equals("RetainExceptOnCreate") && !rollbackOfCreation);
  }

  /** The physical IDs after {@code cs} executes, as {@link #reportExecution} assigns them. */
  Map<String, String> plannedIds(EmulatedStack stack, EmulatedChangeSet cs) {
    Map<String, JsonNode> after = resourceMap(cs.template, cs.parameters);
    Map<String, String> ids = new LinkedHashMap<>(stack.physicalIds);
    for (Change c : cs.changes) {
      ResourceChange rc = c.resourceChange();
      String id = rc.logicalResourceId();
      if (rc.action() == ChangeAction.ADD
          || (rc.action() == ChangeAction.MODIFY && rc.replacement() == Replacement.TRUE)) {
        ids.put(id, physical.assignId(stack, id, after.get(id)));
      } else if (rc.action() == ChangeAction.REMOVE) {
        ids.remove(id);
      }
    }
    return ids;
  }

  /**
   * Creates or updates the nested stack of {@code parent}'s resource {@code logicalId}, as
   * CloudFormation does when it creates or updates that {@code AWS::CloudFormation::Stack} resource
   * ("When you apply template changes to update a top-level stack, CloudFormation updates the
   * top-level stack and initiates an update to its nested registry.stacks.", Template Reference,
   * AWS::CloudFormation::Stack). Its template is fetched from {@code TemplateURL} as the parent's
   * (reported to the {@link TemplateFetchListener}); it runs with the parent's capabilities, role
   * and tags; its resource operations are reported like the parent's. The nested stack completes
   * within its parent's execution: it reaches its final status at once (deviation: CloudFormation
   * shows it in progress while the parent is).
   *
   * @return what undoes it if the parent's execution fails later
   * @throws NestedStackFailure if it fails (it is then rolled back)
   */
  private Runnable nestedOperation(
      EmulatedStack parent,
      EmulatedChangeSet parentCs,
      String logicalId,
      JsonNode properties,
      String stackId,
      boolean create) {
    JsonNode url = properties.path("TemplateURL");
    if (!url.isTextual()) {
      throw new UnsupportedOperationException(
          "CloudFormationEmulator: nested stack "
              + logicalId
              + " has a TemplateURL it cannot resolve: "
              + url);
    }
    Template template;
    try {
      template = TemplateSource.parse(templates.read(url.asText()));
    } catch (CloudFormationException e) {
      // No template, no nested stack: the parent's resource fails with the reason.
      throw new NestedStackFailure(e.awsErrorDetails().errorMessage());
    }
    EmulatedStack child = create ? null : registry.stacks.get(stackId);
    if (child == null) {
      String name = stackId.substring(stackId.indexOf(":stack/") + 7, stackId.lastIndexOf('/'));
      child = new EmulatedStack(stackId, name);
      child.parentId = parent.id;
      child.rootId = parent.rootId != null ? parent.rootId : parent.id;
      child.status = StackStatus.CREATE_IN_PROGRESS;
      child.creationTime = clock.instant();
      registry.stacks.put(child.id, child);
      create = true;
    }
    EmulatedChangeSet cs =
        new EmulatedChangeSet(registry.arn("changeSet/nested/" + registry.nextUuid()), "nested");
    cs.stack = child;
    cs.type = create ? ChangeSetType.CREATE : ChangeSetType.UPDATE;
    cs.tags = parentCs.tags;
    cs.capabilities = parentCs.capabilities;
    cs.roleArn = parentCs.roleArn;
    cs.template = template;
    String failure = null;
    try {
      List<Parameter> given = new ArrayList<>();
      properties
          .path("Parameters")
          .fields()
          .forEachRemaining(
              e ->
                  given.add(
                      Parameter.builder()
                          .parameterKey(e.getKey())
                          .parameterValue(
                              e.getValue().isValueNode()
                                  ? e.getValue().asText()
                                  : e.getValue().toString())
                          .build()));
      cs.parameters = ChangeSetInputs.parameters(cs.template, given, create ? null : child);
      failure = ChangeSetInputs.nestedCapabilityFailure(cs.template, cs.capabilities);
    } catch (CloudFormationException e) {
      failure = e.awsErrorDetails().errorMessage();
    }
    if (failure == null) {
      failure = ChangeSetDiff.compute(cs);
    }
    if (failure == null) {
      failure =
          exports.crossStackFailure(
              child, cs.template, cs.parameters, plannedIds(child, cs), false);
    }
    Template previous = child.deployed;
    Map<String, String> previousParameters = child.deployedParameters;
    Map<String, String> previousIds = new LinkedHashMap<>(child.physicalIds);
    StackStatus previousStatus = child.status;
    if (failure == null) {
      child.operationSequence++;
      try {
        reportExecution(child, cs, false);
        if (timeline.timed()) {
          parentCs.nestedTimes.put(
              logicalId,
              CloudFormationTimes.NESTED_STACK_BOOKKEEPING.plus(timeline.forwardChain(child, cs)));
        }
      } catch (ResourceOperationListener.Refused refused) {
        failure = "Resource handler returned message: \"" + refused.getMessage() + "\"";
      } catch (NestedStackFailure nested) {
        failure = nested.getMessage();
      }
    }
    if (failure != null) {
      child.status = create ? StackStatus.ROLLBACK_COMPLETE : StackStatus.UPDATE_ROLLBACK_COMPLETE;
      child.statusReason = failure;
      throw new NestedStackFailure(
          "Embedded stack "
              + child.id
              + " was not successfully "
              + (create ? "created" : "updated")
              + ": "
              + failure);
    }
    EmulatedStack done = child;
    done.capabilities = cs.capabilities;
    done.tags = cs.tags;
    done.roleArn = cs.roleArn;
    exports.commit(done, cs.template, cs.parameters);
    done.status = create ? StackStatus.CREATE_COMPLETE : StackStatus.UPDATE_COMPLETE;
    done.statusReason = null;
    if (!create) {
      done.lastUpdatedTime = clock.instant();
    }
    boolean created = create;
    return () -> {
      if (created) {
        registry.tree(done).forEach(registry::deleted);
      } else {
        done.physicalIds.clear();
        done.physicalIds.putAll(previousIds);
        exports.commit(done, previous, previousParameters);
        done.status = previousStatus;
      }
    };
  }

  private static final Pattern ECR_IMAGE =
      Pattern.compile(
          "^(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)"
              + "(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$");

  /**
   * Resolves the container image a function pulls from this account's ECR to its digest ({@code
   * repository@sha256:...}), as Lambda does when CloudFormation creates or updates the function: an
   * image that is not there fails the resource with Lambda's "Source image X does not exist.
   * Provide a valid source image." (aws/aws-cdk#24648). Not checked, as in AWS: images of other
   * registries (public ones, other accounts), and a task definition's images, which ECS resolves
   * only when a task starts (a real app pushes its service's image after the deploy: see {@code
   * examples/real-apps/codepipeline-build-deploy}).
   */
  private List<String> pullImages(String type, JsonNode properties) {
    List<JsonNode> uris = new ArrayList<>();
    if (type.equals("AWS::Lambda::Function")) {
      uris.add(properties.path("Code").path("ImageUri"));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode uri : uris) {
      Matcher m = uri.isTextual() ? ECR_IMAGE.matcher(uri.asText()) : null;
      if (m == null || !m.matches() || !m.group(1).equals(account) || !m.group(2).equals(region)) {
        continue;
      }
      EcrClient registry = images;
      if (registry == null) {
        throw new UnsupportedOperationException(
            "CloudFormationEmulator: "
                + uri.asText()
                + " is in ECR of "
                + account
                + ", which has no registry: call imageRegistry");
      }
      String repository = m.group(3);
      String tag = m.group(4);
      String digest = m.group(5);
      try {
        var found =
            registry
                .describeImages(
                    r ->
                        r.registryId(account)
                            .repositoryName(repository)
                            .imageIds(
                                i -> i.imageTag(digest == null ? tag : null).imageDigest(digest)))
                .imageDetails();
        out.add(repository + "@" + found.get(0).imageDigest());
      } catch (EcrException e) {
        throw new ResourceOperationListener.Refused(
            "Source image "
                + uri.asText()
                + " does not exist. Provide a valid source image. (Service: Lambda, Status Code: 400)");
      }
    }
    return out;
  }
}
