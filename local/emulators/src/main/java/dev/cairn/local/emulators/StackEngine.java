package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.checkName;
import static dev.cairn.local.emulators.CloudFormationErrors.invalidChangeSetStatus;
import static dev.cairn.local.emulators.CloudFormationErrors.required;
import static dev.cairn.local.emulators.CloudFormationErrors.stackNotFound;
import static dev.cairn.local.emulators.CloudFormationErrors.validation;
import static dev.cairn.local.emulators.ResourceGraph.type;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.AlreadyExistsException;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetSummary;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.GetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListChangeSetsResponse;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyRequest;
import software.amazon.awssdk.services.cloudformation.model.SetStackPolicyResponse;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/**
 * The stack engine behind {@link CloudFormationEmulator}'s SDK operations: change sets (create,
 * describe, list, delete, execute), stacks (describe, delete, termination protection, template,
 * policy), their status sequences and what each operation starts: the changes ({@link
 * ChangeSetDiff}), the stack policy ({@link StackPolicyEvaluator}), the checks across stacks
 * ({@link StackExports}), the resource operations ({@link ResourceProvisioner}), the timing ({@link
 * StackOperationTimeline}) and the injected faults ({@link StackFaults}). Called under the
 * emulator's lock, after the call is recorded.
 */
final class StackEngine {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String account;
  private final String region;
  private final Clock clock;
  private final StackRegistry registry;
  private final TemplateSource templates;
  private final StackExports exports;
  private final ResourceProvisioner provisioner;
  private final StackOperationTimeline timeline;
  private final StackFaults faults;

  StackEngine(
      StackRegistry registry,
      TemplateSource templates,
      StackExports exports,
      ResourceProvisioner provisioner,
      StackOperationTimeline timeline,
      StackFaults faults,
      Clock clock) {
    this.account = registry.account();
    this.region = registry.region();
    this.clock = clock;
    this.registry = registry;
    this.templates = templates;
    this.exports = exports;
    this.provisioner = provisioner;
    this.timeline = timeline;
    this.faults = faults;
  }

  CreateChangeSetResponse createChangeSet(CreateChangeSetRequest request) {
    String stackName = required(request.stackName(), "stackName");
    String csName = required(request.changeSetName(), "changeSetName");
    checkName(csName, "changeSetName");
    ChangeSetType type =
        request.changeSetType() == null ? ChangeSetType.UPDATE : request.changeSetType();
    if (type != ChangeSetType.CREATE && type != ChangeSetType.UPDATE) {
      throw new UnsupportedOperationException("CloudFormationEmulator: ChangeSetType " + type);
    }
    if (Boolean.TRUE.equals(request.includeNestedStacks())) {
      // Cairn's deployer creates one change set per parent stack and lets the parent's execution
      // create and update its nested registry.stacks; per-nested-stack change sets are not
      // modelled.
      throw new UnsupportedOperationException("CloudFormationEmulator: IncludeNestedStacks");
    }
    EmulatedStack stack = registry.liveStack(stackName);
    if (stack == null && !stackName.startsWith("arn:")) {
      checkName(stackName, "stackName");
    }

    // ClientToken idempotency: a retried request returns the change set it created.
    if (stack != null && request.clientToken() != null) {
      for (EmulatedChangeSet cs : registry.changeSets.values()) {
        if (cs.stack == stack
            && cs.name.equals(csName)
            && request.clientToken().equals(cs.clientToken)) {
          return CreateChangeSetResponse.builder().id(cs.id).stackId(stack.id).build();
        }
      }
    }

    if (type == ChangeSetType.CREATE) {
      if (stack != null && stack.status != StackStatus.REVIEW_IN_PROGRESS) {
        throw validation(
            "Stack ["
                + stack.name
                + "] already exists and cannot be created again with the changeSet ["
                + csName
                + "].");
      }
    } else {
      if (stack == null || stack.status == StackStatus.REVIEW_IN_PROGRESS) {
        throw validation("Stack [" + stackName + "] does not exist");
      }
      if (!updatable(stack.status)) {
        throw validation(
            "Stack:" + stack.id + " is in " + stack.status + " state and can not be updated.");
      }
    }
    if (stack != null) {
      for (EmulatedChangeSet cs : registry.changeSets.values()) {
        if (cs.stack == stack && cs.name.equals(csName)) {
          throw AwsErrors.error(
              AlreadyExistsException.builder(),
              "CloudFormation",
              "AlreadyExistsException",
              400,
              "ChangeSet " + csName + " already exists.");
        }
      }
    }

    Template template =
        TemplateTransforms.process(template(request, stack), account, region, templates.caller());
    Map<String, String> parameters =
        ChangeSetInputs.parameters(template, request.parameters(), stack);
    ChangeSetInputs.checkCapabilities(template, request.capabilities());

    if (stack == null) {
      stack =
          new EmulatedStack(
              registry.arn("stack/" + stackName + "/" + registry.nextUuid()), stackName);
      stack.status = StackStatus.REVIEW_IN_PROGRESS;
      stack.statusReason = "User Initiated";
      stack.creationTime = clock.instant();
      registry.stacks.put(stack.id, stack);
    }

    EmulatedChangeSet cs =
        new EmulatedChangeSet(
            registry.arn("changeSet/" + csName + "/" + registry.nextUuid()), csName);
    cs.stack = stack;
    cs.type = type;
    cs.template = template;
    cs.parameters = parameters;
    cs.tags = List.copyOf(request.tags());
    cs.capabilities = List.copyOf(request.capabilities());
    cs.notificationArns = List.copyOf(request.notificationARNs());
    cs.roleArn = request.roleARN();
    cs.clientToken = request.clientToken();
    cs.description = request.description();
    cs.creationTime = clock.instant();

    String injected = faults.nextChangeSetFailure(stack.name);
    String reason;
    if (injected != null) {
      reason = injected;
    } else {
      reason = ChangeSetDiff.compute(cs);
      if (reason == null && cs.changes.isEmpty()) {
        reason = CloudFormationEmulator.NO_CHANGES_REASON;
      }
    }
    List<ChangeSetStatus> csSteps =
        List.of(
            ChangeSetStatus.CREATE_PENDING,
            ChangeSetStatus.CREATE_IN_PROGRESS,
            reason == null ? ChangeSetStatus.CREATE_COMPLETE : ChangeSetStatus.FAILED);
    cs.progress = timeline.changeSetProgress(stack.name, template, csSteps);
    cs.failureReason = reason;
    registry.changeSets.put(cs.id, cs);
    return CreateChangeSetResponse.builder().id(cs.id).stackId(stack.id).build();
  }

  DescribeChangeSetResponse describeChangeSet(DescribeChangeSetRequest request) {
    EmulatedChangeSet cs = registry.changeSet(request.changeSetName(), request.stackName());
    if (!faults.hanging(cs.stack.name) || !cs.progress.started()) {
      cs.progress.observe(clock.instant());
    }
    if (timeline.timed()) {
      // Timed, the execution's progress depends on the clock, not on who looks: the change set's
      // ExecutionStatus is as current as DescribeStacks would show.
      cs.stack.observe(faults.hanging(cs.stack.name), clock.instant());
    }
    ChangeSetStatus status = cs.status();
    DescribeChangeSetResponse.Builder b =
        DescribeChangeSetResponse.builder()
            .changeSetName(cs.name)
            .changeSetId(cs.id)
            .stackId(cs.stack.id)
            .stackName(cs.stack.name)
            .description(cs.description)
            .creationTime(cs.creationTime)
            .status(status)
            .executionStatus(cs.executionStatus())
            .parameters(EmulatedStack.parameterList(cs.parameters))
            .capabilities(cs.capabilities)
            .tags(cs.tags)
            .changes(status == ChangeSetStatus.CREATE_COMPLETE ? cs.changes : List.of());
    if (status == ChangeSetStatus.FAILED) {
      b.statusReason(cs.failureReason);
    }
    return b.build();
  }

  ListChangeSetsResponse listChangeSets(ListChangeSetsRequest request) {
    EmulatedStack stack = registry.liveStack(required(request.stackName(), "stackName"));
    if (stack == null) {
      throw stackNotFound(request.stackName());
    }
    List<ChangeSetSummary> out = new ArrayList<>();
    for (EmulatedChangeSet cs : registry.changeSets.values()) {
      if (cs.stack == stack) {
        out.add(
            ChangeSetSummary.builder()
                .changeSetId(cs.id)
                .changeSetName(cs.name)
                .stackId(stack.id)
                .stackName(stack.name)
                .status(cs.status())
                .statusReason(cs.status() == ChangeSetStatus.FAILED ? cs.failureReason : null)
                .executionStatus(cs.executionStatus())
                .creationTime(cs.creationTime)
                .description(cs.description)
                .build());
      }
    }
    return ListChangeSetsResponse.builder().summaries(out).build();
  }

  DeleteChangeSetResponse deleteChangeSet(DeleteChangeSetRequest request) {
    EmulatedChangeSet cs = registry.changeSet(request.changeSetName(), request.stackName());
    if (cs.executionStatus() == ExecutionStatus.EXECUTE_IN_PROGRESS) {
      throw invalidChangeSetStatus(
          "Cannot delete ChangeSet ["
              + cs.id
              + "] while it is in execution status EXECUTE_IN_PROGRESS");
    }
    registry.changeSets.remove(cs.id);
    return DeleteChangeSetResponse.builder().build();
  }

  ExecuteChangeSetResponse executeChangeSet(ExecuteChangeSetRequest request) {
    EmulatedChangeSet cs = registry.changeSet(request.changeSetName(), request.stackName());
    EmulatedStack stack = cs.stack;
    if (cs.executed) {
      if (request.clientRequestToken() != null
          && request.clientRequestToken().equals(cs.executeToken)) {
        return ExecuteChangeSetResponse.builder().build(); // a retried request
      }
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed in its current execution status of ["
              + cs.executionStatus()
              + "]");
    }
    if (cs.status() != ChangeSetStatus.CREATE_COMPLETE
        || cs.executionStatus() != ExecutionStatus.AVAILABLE) {
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed in its current status of ["
              + cs.status()
              + "]");
    }
    if (stack.progress != null) {
      throw invalidChangeSetStatus(
          "ChangeSet ["
              + cs.id
              + "] cannot be executed because stack ["
              + stack.name
              + "] is in "
              + stack.status
              + " state");
    }
    // "When you execute a change set, CloudFormation deletes all other change sets associated
    // with the stack because they aren't valid for the updated stack." (ExecuteChangeSet)
    registry.changeSets.values().removeIf(other -> other.stack == stack && other != cs);
    cs.executed = true;
    cs.executeToken = request.clientRequestToken();
    stack.operationSequence++;
    stack.changeSetId = cs.id;
    stack.parametersAttempted = cs.parameters;
    stack.tags = cs.tags;
    stack.capabilities = cs.capabilities;
    stack.notificationArns = cs.notificationArns;
    stack.roleArn = cs.roleArn;
    stack.attempted = cs.template;
    if (stack.creationTime == null) {
      stack.creationTime = clock.instant();
    }

    String failure = faults.nextExecutionFailure(stack.name);
    boolean injectedFailure = failure != null;
    if (failure == null && cs.type == ChangeSetType.UPDATE) {
      failure = StackPolicyEvaluator.denial(stack.policyBody, cs.changes);
    }
    if (failure == null) {
      failure =
          exports.crossStackFailure(
              stack, cs.template, cs.parameters, provisioner.plannedIds(stack, cs), true);
    }
    if (failure == null || injectedFailure) {
      // A stack policy denial stops the update before any resource is touched (simplification:
      // CloudFormation checks the policy per resource and rolls back those already updated).
      try {
        provisioner.reportExecution(stack, cs, failure != null);
      } catch (ResourceOperationListener.Refused refused) {
        // The resource handler was refused a call: the resource fails and the stack rolls back
        // (simplification: the resources already created are not reported as rolled back).
        failure = "Resource handler returned message: \"" + refused.getMessage() + "\"";
      } catch (ResourceProvisioner.NestedStackFailure nested) {
        failure = nested.getMessage();
      }
    }
    final String reason = failure;
    boolean create = cs.type == ChangeSetType.CREATE;
    List<StackStatus> steps;
    if (create && reason == null) {
      steps = List.of(StackStatus.CREATE_IN_PROGRESS, StackStatus.CREATE_COMPLETE);
    } else if (create) {
      steps =
          List.of(
              StackStatus.CREATE_IN_PROGRESS,
              StackStatus.ROLLBACK_IN_PROGRESS,
              StackStatus.ROLLBACK_COMPLETE);
    } else if (reason == null) {
      steps =
          List.of(
              StackStatus.UPDATE_IN_PROGRESS,
              StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS,
              StackStatus.UPDATE_COMPLETE);
    } else {
      steps =
          List.of(
              StackStatus.UPDATE_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
              StackStatus.UPDATE_ROLLBACK_COMPLETE);
    }
    cs.executionFailed = reason != null;
    stack.start(
        steps,
        timeline.executionOffsets(stack, cs, create, reason != null),
        "User Initiated",
        reason,
        () -> {
          if (reason == null) {
            exports.commit(stack, cs.template, cs.parameters);
            stack.lastUpdatedTime = create ? null : clock.instant();
          } else if (create) {
            stack.deployed = null; // rolled back: nothing of it exists
          }
          for (EmulatedChangeSet other : registry.changeSets.values()) {
            if (other.stack == stack && other != cs) {
              other.obsolete = true;
            }
          }
        },
        clock);
    if (!create) {
      stack.lastUpdatedTime = clock.instant();
    }
    return ExecuteChangeSetResponse.builder().build();
  }

  DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
    List<EmulatedStack> selected = new ArrayList<>();
    if (request.stackName() == null) {
      for (EmulatedStack s : registry.stacks.values()) {
        if (s.status != StackStatus.DELETE_COMPLETE) {
          selected.add(s);
        }
      }
    } else {
      EmulatedStack s =
          request.stackName().startsWith("arn:")
              ? registry.stacks.get(request.stackName())
              : registry.liveStack(request.stackName());
      if (s == null) {
        throw stackNotFound(request.stackName());
      }
      selected.add(s);
    }
    List<Stack> out = new ArrayList<>();
    for (EmulatedStack s : selected) {
      s.observe(faults.hanging(s.name), clock.instant());
      out.add(s.toStack());
    }
    return DescribeStacksResponse.builder().stacks(out).build();
  }

  DeleteStackResponse deleteStack(DeleteStackRequest request) {
    String name = required(request.stackName(), "stackName");
    EmulatedStack stack =
        name.startsWith("arn:") ? registry.stacks.get(name) : registry.liveStack(name);
    if (stack == null
        || stack.status == StackStatus.DELETE_COMPLETE
        || stack.status == StackStatus.DELETE_IN_PROGRESS) {
      return DeleteStackResponse.builder().build(); // deleting nothing succeeds, as the API does
    }
    if (stack.progress != null) {
      throw validation(
          "Stack [" + stack.name + "] cannot be deleted while in status " + stack.status);
    }
    // DeleteStack: "The stack can't be deleted while termination protection is enabled"; the
    // service's message names the stack by its ID.
    if (stack.terminationProtection) {
      throw validation(
          "Stack [" + stack.id + "] cannot be deleted while TerminationProtection is enabled");
    }
    String injected = faults.nextDeletionFailure(stack.name);
    String reason =
        injected != null
            ? injected
            : exports.exportInUse(stack, registry.tree(stack), Map.of(), registry.tree(stack));
    registry.changeSets.values().removeIf(cs -> cs.stack == stack);
    stack.operationSequence++;
    if (reason == null) {
      // An export still imported stops the deletion before any resource is deleted.
      provisioner.reportDeletion(
          stack, request.roleARN() != null ? request.roleARN() : stack.roleArn);
    }
    stack.start(
        reason == null
            ? List.of(StackStatus.DELETE_IN_PROGRESS, StackStatus.DELETE_COMPLETE)
            : List.of(StackStatus.DELETE_IN_PROGRESS, StackStatus.DELETE_FAILED),
        timeline.deletionOffsets(stack),
        "User Initiated",
        reason,
        () -> {
          if (reason == null) {
            for (EmulatedStack nested : registry.tree(stack)) {
              if (nested != stack) {
                registry.deleted(nested);
              }
            }
            stack.deployed = null;
            stack.physicalIds.clear();
            stack.deletionTime = clock.instant();
            registry.unexport(stack);
          }
        },
        clock);
    return DeleteStackResponse.builder().build();
  }

  /**
   * {@code UpdateTerminationProtection}: sets {@code EnableTerminationProtection} of a live stack
   * (API reference: "Updates termination protection for the specified stack"), as {@code cdk
   * deploy} does after a deploy; answers the stack's ID. A stack that does not exist is a
   * ValidationError.
   */
  software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionResponse
      updateTerminationProtection(
          software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionRequest
              request) {
    String name = required(request.stackName(), "stackName");
    EmulatedStack stack =
        name.startsWith("arn:") ? registry.stacks.get(name) : registry.liveStack(name);
    if (stack == null || stack.status == StackStatus.DELETE_COMPLETE) {
      throw stackNotFound(name);
    }
    if (request.enableTerminationProtection() == null) {
      required(null, "enableTerminationProtection");
    }
    stack.terminationProtection = request.enableTerminationProtection();
    return software.amazon.awssdk.services.cloudformation.model.UpdateTerminationProtectionResponse
        .builder()
        .stackId(stack.id)
        .build();
  }

  GetTemplateResponse getTemplate(GetTemplateRequest request) {
    Template t;
    if (request.changeSetName() != null) {
      t = registry.changeSet(request.changeSetName(), request.stackName()).template;
    } else {
      String name = required(request.stackName(), "stackName");
      EmulatedStack s =
          name.startsWith("arn:") ? registry.stacks.get(name) : registry.liveStack(name);
      if (s == null || s.status == StackStatus.REVIEW_IN_PROGRESS) {
        throw stackNotFound(name);
      }
      t = s.deployed != null ? s.deployed : s.attempted;
    }
    return GetTemplateResponse.builder()
        .templateBody(t.body())
        .stagesAvailable(TemplateStage.ORIGINAL, TemplateStage.PROCESSED)
        .build();
  }

  SetStackPolicyResponse setStackPolicy(SetStackPolicyRequest request) {
    EmulatedStack s = registry.existingStack(request.stackName());
    if (request.stackPolicyURL() != null) {
      throw new UnsupportedOperationException("CloudFormationEmulator: StackPolicyURL");
    }
    String body = required(request.stackPolicyBody(), "stackPolicyBody");
    try {
      JsonNode policy = JSON.readTree(body);
      if (!policy.path("Statement").isArray()) {
        throw validation("Error validating stack policy: Missing required field Statement");
      }
    } catch (JsonProcessingException e) {
      throw validation("Error validating stack policy: Invalid stack policy JSON");
    }
    s.policyBody = body;
    return SetStackPolicyResponse.builder().build();
  }

  GetStackPolicyResponse getStackPolicy(GetStackPolicyRequest request) {
    EmulatedStack s = registry.existingStack(request.stackName());
    return GetStackPolicyResponse.builder().stackPolicyBody(s.policyBody).build();
  }

  private Template template(CreateChangeSetRequest request, EmulatedStack stack) {
    return templates.forChangeSet(request, stack == null ? null : stack.deployed);
  }

  private static boolean updatable(StackStatus s) {
    return s == StackStatus.CREATE_COMPLETE
        || s == StackStatus.UPDATE_COMPLETE
        || s == StackStatus.UPDATE_ROLLBACK_COMPLETE
        || s == StackStatus.IMPORT_COMPLETE
        || s == StackStatus.IMPORT_ROLLBACK_COMPLETE;
  }
}
