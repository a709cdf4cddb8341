package dev.cairn.sandbox.assembly;

import java.util.Objects;

/**
 * A user's cloud assembly the sandbox will not run, found before anything is published: which
 * stack, which feature, and why. {@code cairn sandbox run --cdk-out} prints it and exits 2.
 */
public final class UserAssemblyRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the sandbox refuses a user's assembly: stable names, printed with the message. */
  public enum Code {
    /** The CDK output is not a cloud assembly Cairn's deployer reads (the core reader's reason). */
    ASSEMBLY_UNREADABLE,
    /** {@code --environments} does not name the installation's environments, in their order. */
    ENVIRONMENTS_MISMATCH,
    /**
     * A stack's name is outside its environment's {@code stack_name_prefix} in every sandbox
     * installation: a Cairn deploy role changes only {@code <prefix>-*} stacks.
     */
    STACK_NAME_OUTSIDE_PREFIX,
    /** A stack targets an account or region that is none of the environments'. */
    STACK_OUTSIDE_ENVIRONMENTS,
    /** An environment of the chain has no stack in the assembly. */
    NO_STACKS_FOR_ENVIRONMENT,
    /** A template declares a resource type the sandbox cannot deploy and have IAM judge. */
    RESOURCE_TYPE_UNSUPPORTED,
    /** A template uses a CloudFormation feature the sandbox's CloudFormation does not run. */
    TEMPLATE_FEATURE_UNSUPPORTED,
    /** A Docker image asset built by a command rather than from a directory in the artifact. */
    DOCKER_IMAGE_ASSET_UNSUPPORTED,
    /**
     * An asset is published somewhere other than an environment's bootstrap bucket or repository.
     */
    ASSET_DESTINATION_UNKNOWN
  }

  private final Code code;
  private final String stack;
  private final String feature;

  /**
   * @param stack the stack (artifact id or stack name) the refusal is about, or "" for the whole
   *     assembly
   * @param feature what in it is not supported (a resource type, a section, an asset)
   */
  public UserAssemblyRefusedException(Code code, String stack, String feature, String message) {
    super(code + ": " + message);
    this.code = Objects.requireNonNull(code, "code");
    this.stack = Objects.requireNonNull(stack, "stack");
    this.feature = Objects.requireNonNull(feature, "feature");
  }

  public Code code() {
    return code;
  }

  public String stack() {
    return stack;
  }

  public String feature() {
    return feature;
  }
}
