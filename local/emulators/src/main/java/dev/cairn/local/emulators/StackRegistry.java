package dev.cairn.local.emulators;

import static dev.cairn.local.emulators.CloudFormationErrors.changeSetNotFound;
import static dev.cairn.local.emulators.CloudFormationErrors.required;
import static dev.cairn.local.emulators.CloudFormationErrors.stackNotFound;
import static dev.cairn.local.emulators.CloudFormationErrors.validation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * The state of one emulator: its stacks (by stack ID, deleted ones kept as the API lists them),
 * change sets (by ID) and exports (by name), the lookups by name or ARN, and the IDs it makes up
 * (deterministic: derived from the account, the region and a sequence).
 */
final class StackRegistry {

  /** One export of this account and region. */
  record StackExport(String name, String value, String stackId, String stackName) {}

  private final String account;
  private final String region;
  private final Clock clock;
  final Map<String, EmulatedStack> stacks = new LinkedHashMap<>(); // by stack id
  final Map<String, EmulatedChangeSet> changeSets = new LinkedHashMap<>(); // by id
  // "For each AWS account, Export names must be unique within a region." (User Guide, "Get
  // exported outputs from a deployed CloudFormation stack"): one registry per emulator, by name.
  final Map<String, StackExport> exports = new TreeMap<>();
  private long sequence;

  StackRegistry(String account, String region, Clock clock) {
    this.account = account;
    this.region = region;
    this.clock = clock;
  }

  String account() {
    return account;
  }

  String region() {
    return region;
  }

  /** The stack of that ARN or name that is not {@code DELETE_COMPLETE}, or null. */
  EmulatedStack liveStack(String nameOrId) {
    if (nameOrId == null) {
      return null;
    }
    if (nameOrId.startsWith("arn:")) {
      EmulatedStack s = stacks.get(nameOrId);
      return s == null || s.status == StackStatus.DELETE_COMPLETE ? null : s;
    }
    EmulatedStack found = null;
    for (EmulatedStack s : stacks.values()) {
      if (s.name.equals(nameOrId) && s.status != StackStatus.DELETE_COMPLETE) {
        found = s;
      }
    }
    return found;
  }

  /** {@link #liveStack}, or the ValidationError "Stack with id X does not exist". */
  EmulatedStack existingStack(String nameOrId) {
    EmulatedStack s = liveStack(required(nameOrId, "stackName"));
    if (s == null) {
      throw stackNotFound(nameOrId);
    }
    return s;
  }

  /**
   * The change set of that ARN, or of that name on the live stack {@code stackName}; else {@code
   * ChangeSetNotFound}.
   */
  EmulatedChangeSet changeSet(String nameOrId, String stackName) {
    required(nameOrId, "changeSetName");
    if (nameOrId.startsWith("arn:")) {
      EmulatedChangeSet cs = changeSets.get(nameOrId);
      if (cs == null) {
        throw changeSetNotFound(nameOrId);
      }
      return cs;
    }
    if (stackName == null) {
      throw validation("StackName must be specified if ChangeSetName is not specified as an ARN.");
    }
    EmulatedStack stack = liveStack(stackName);
    if (stack != null) {
      for (EmulatedChangeSet cs : changeSets.values()) {
        if (cs.stack == stack && cs.name.equals(nameOrId)) {
          return cs;
        }
      }
    }
    throw changeSetNotFound(nameOrId);
  }

  /** {@code stack} and its nested stacks, parents first. */
  List<EmulatedStack> tree(EmulatedStack stack) {
    List<EmulatedStack> out = new ArrayList<>();
    out.add(stack);
    for (int i = 0; i < out.size(); i++) {
      EmulatedStack parent = out.get(i);
      for (EmulatedStack s : stacks.values()) {
        if (parent.id.equals(s.parentId) && s.status != StackStatus.DELETE_COMPLETE) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** A CloudFormation ARN of this account and region: {@code stack/...}, {@code changeSet/...}. */
  String arn(String resource) {
    return "arn:aws:cloudformation:" + region + ":" + account + ":" + resource;
  }

  /** The next UUID, derived from the account, the region and a sequence (reproducible). */
  String nextUuid() {
    return UUID.nameUUIDFromBytes(
            (account + "/" + region + "/" + (++sequence)).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Removes the exports of {@code stack}. */
  void unexport(EmulatedStack stack) {
    exports.values().removeIf(e -> e.stackId().equals(stack.id));
  }

  /** A nested stack deleted with its parent (or removed from it): gone, with its exports. */
  void deleted(EmulatedStack stack) {
    stack.status = StackStatus.DELETE_COMPLETE;
    stack.statusReason = null;
    stack.deployed = null;
    stack.physicalIds.clear();
    stack.deletionTime = clock.instant();
    stack.imports = Set.of();
    unexport(stack);
  }
}
