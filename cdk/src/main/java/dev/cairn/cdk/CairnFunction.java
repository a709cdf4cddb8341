package dev.cairn.cdk;

/** The Lambda functions of the control plane, with their module and handler. */
public enum CairnFunction {
  MANIFEST_VERIFIER(
      "manifest-verifier",
      "ManifestVerifier",
      "dev.cairn.lambda.verifier.ManifestVerifierHandler::handleRequest",
      1024,
      300,
      true),
  DEPLOYER(
      "deployer",
      "Deployer",
      "dev.cairn.lambda.deployer.DeployerHandler::handleRequest",
      1024,
      300,
      true),
  SWEEPER(
      "sweeper",
      "Sweeper",
      "dev.cairn.lambda.sweeper.SweeperHandler::handleRequest",
      512,
      90,
      false),
  FINALIZER(
      "finalizer",
      "Finalizer",
      "dev.cairn.lambda.finalizer.FinalizerHandler::handleRequest",
      512,
      120,
      false),
  AUDIT_ANCHORER(
      "audit-anchorer",
      "AuditAnchorer",
      "dev.cairn.lambda.anchorer.AuditAnchorerHandler::handleRequest",
      512,
      120,
      false),
  OVERRIDE(
      // Re-verifying a release artifact (every file hashed) needs memory and minutes, not seconds.
      "override",
      "Override",
      "dev.cairn.lambda.override.OverrideHandler::handleRequest",
      1024,
      300,
      true),
  REGISTRAR(
      // Reads one manifest and checks one signature: no artifact hashing.
      "registrar",
      "Registrar",
      "dev.cairn.lambda.registrar.RegistrarHandler::handleRequest",
      512,
      60,
      false);

  /**
   * JVM flags for the functions that hash whole artifacts. Lambda's java17 and java21 runtimes stop
   * tiered compilation at level 1 (C1) unless told otherwise, and C1 has no SHA-256 intrinsic:
   * measured here, hashing falls from about 1.9 GB/s (C2, SHA-NI) to about 70 MB/s, so verifying a
   * 1 GiB artifact would take 15 s instead of under one. Level 4 restores C2.
   */
  public static final String HASHING_JAVA_TOOL_OPTIONS =
      "-XX:+TieredCompilation -XX:TieredStopAtLevel=4";

  private final String moduleName;
  private final String pascalName;
  private final String handler;
  private final int memoryMb;
  private final int timeoutSeconds;
  private final boolean hashesArtifacts;

  CairnFunction(
      String moduleName,
      String pascalName,
      String handler,
      int memoryMb,
      int timeoutSeconds,
      boolean hashesArtifacts) {
    this.moduleName = moduleName;
    this.pascalName = pascalName;
    this.handler = handler;
    this.memoryMb = memoryMb;
    this.timeoutSeconds = timeoutSeconds;
    this.hashesArtifacts = hashesArtifacts;
  }

  /** True for the functions that hash every file of an artifact (verify, promote, re-verify). */
  public boolean hashesArtifacts() {
    return hashesArtifacts;
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
