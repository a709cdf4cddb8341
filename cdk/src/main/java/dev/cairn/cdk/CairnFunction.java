package dev.cairn.cdk;

/** The six Lambda functions of the control plane, with their module and handler. */
public enum CairnFunction {
  MANIFEST_VERIFIER(
      "manifest-verifier",
      "ManifestVerifier",
      "dev.cairn.lambda.verifier.ManifestVerifierHandler::handleRequest",
      1024,
      300),
  DEPLOYER(
      "deployer",
      "Deployer",
      "dev.cairn.lambda.deployer.DeployerHandler::handleRequest",
      1024,
      300),
  SWEEPER("sweeper", "Sweeper", "dev.cairn.lambda.sweeper.SweeperHandler::handleRequest", 512, 90),
  FINALIZER(
      "finalizer",
      "Finalizer",
      "dev.cairn.lambda.finalizer.FinalizerHandler::handleRequest",
      512,
      120),
  AUDIT_ANCHORER(
      "audit-anchorer",
      "AuditAnchorer",
      "dev.cairn.lambda.anchorer.AuditAnchorerHandler::handleRequest",
      512,
      120),
  OVERRIDE(
      // Re-verifying a release artifact (every file hashed) needs memory and minutes, not seconds.
      "override",
      "Override",
      "dev.cairn.lambda.override.OverrideHandler::handleRequest",
      1024,
      300);

  private final String moduleName;
  private final String pascalName;
  private final String handler;
  private final int memoryMb;
  private final int timeoutSeconds;

  CairnFunction(
      String moduleName, String pascalName, String handler, int memoryMb, int timeoutSeconds) {
    this.moduleName = moduleName;
    this.pascalName = pascalName;
    this.handler = handler;
    this.memoryMb = memoryMb;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Module directory under {@code lambdas/} and the shaded jar's base name. */
  public String moduleName() {
    return moduleName;
  }

  /** Used in construct IDs and in ASL placeholders ({@code ${<Pascal>FunctionArn}}). */
  public String pascalName() {
    return pascalName;
  }

  public String handler() {
    return handler;
  }

  public int memoryMb() {
    return memoryMb;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The physical IAM role name (fixed so target accounts can trust it by ARN). */
  public String roleName() {
    return "cairn-" + moduleName + "-lambda";
  }
}
