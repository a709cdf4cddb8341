package dev.cairn.sandbox;

import java.util.Arrays;
import java.util.List;

/**
 * The sandbox scenarios, by their command-line names. Each constant names its script; a new
 * scenario is a new script class plus one constant here.
 */
public enum Scenario {
  // One artifact (or two) through the pipeline.
  HAPPY("happy", "status=promoted; prod deployed with test_passed", PipelineScenarios::happy),
  TAMPERED(
      "tampered",
      "a file is changed after signing: rejected, InvalidArtifact, no change set anywhere",
      PipelineScenarios::tampered),
  STAGE_DEPLOY_FAILS(
      "stage-deploy-fails",
      "stage failed, status stays candidate, DeployFailed",
      PipelineScenarios::stageDeployFails),
  STAGE_TESTS_FAIL(
      "stage-tests-fail", "stage test_failed, status rejected", PipelineScenarios::stageTestsFail),
  PROD_SMOKE_FAILS(
      "prod-smoke-fails",
      "a good commit is live; the next one fails smoke tests and is rolled back",
      PipelineScenarios::prodSmokeFails),
  ROLLBACK_EXHAUSTED(
      "rollback-exhausted",
      "every rollback attempt fails: rollback_failed, manual intervention, critical alert",
      PipelineScenarios::rollbackExhausted),
  PROD_DRIFT(
      "prod-drift",
      "prod has drifted: aborted before any prod change set runs; stack_drift_detected",
      PipelineScenarios::prodDrift),
  DUPLICATE_EVENT(
      "duplicate-event",
      "the same S3 event three times: exactly one deploy",
      PipelineScenarios::duplicateEvent),
  // Self-healing (sweeper, watchdog, finalizer).
  DROPPED_EVENT(
      "dropped-event",
      "the upload event is lost; the sweeper starts the execution within 2 sweeps",
      SelfHealingScenarios::droppedEvent),
  STUCK_EXECUTION(
      "stuck-execution",
      "an execution hangs; the watchdog stops it after 65 minutes and requeues; a later sweep completes it",
      SelfHealingScenarios::stuckExecution),
  // The watchdog measures time in flight and requeues the tests phase too.
  STUCK_IN_TESTS(
      "stuck-in-tests",
      "the orchestrator hangs as the stage tests start; the watchdog stops it after 65 minutes in"
          + " flight, requeues it (not_tested); a later sweep completes it",
      SelfHealingScenarios::stuckInTests),
  FINALIZER_CORRECTION(
      "finalizer-correction",
      "the execution dies after CloudFormation succeeded, before the record; the finalizer corrects it",
      SelfHealingScenarios::finalizerCorrection),
  // The bake watches its whole window; the post-deploy watch; the finalizer reads the
  // build.
  BAKE_ALARM_FLAPS(
      "bake-alarm-flaps",
      "an alarm fires and recovers mid-bake in prod: the alarm history shows it, the deploy is rolled back",
      WatchScenarios::bakeAlarmFlaps),
  POST_DEPLOY_WATCH(
      "post-deploy-watch",
      "an alarm breaches 5 minutes into prod's 10-minute post-deploy watch: rolled back",
      WatchScenarios::postDeployWatch),
  FINALIZER_READS_BUILD(
      "finalizer-reads-build",
      "the stage build passed, the execution died before recording it; the finalizer reads the build: test_passed",
      SelfHealingScenarios::finalizerReadsBuild),
  // Trust (signed overrides, approvals, audit anchoring).
  OVERRIDE_ROLLBACK(
      "override-rollback",
      "prod runs the second commit; an operator's signed rollback redeploys the first",
      TrustScenarios::overrideRollback),
  OVERRIDE_REPLAY(
      "override-replay",
      "the same signed rollback submitted again: refused OVERRIDE_REPLAYED, ledger unchanged",
      TrustScenarios::overrideReplay),
  OVERRIDE_EXPIRED(
      "override-expired",
      "a signed request submitted 16 minutes later: refused OVERRIDE_EXPIRED, ledger unchanged",
      TrustScenarios::overrideExpired),
  OVERRIDE_UNTRUSTED_KEY(
      "override-untrusted-key",
      "requests signed by an unknown key, CI's key, and a wrong key: all refused, ledger unchanged",
      TrustScenarios::overrideUntrustedKey),
  BREAK_GLASS_WITHOUT_FLAG(
      "break-glass-without-flag",
      "prod drifted; break_glass with the SSM flag off, then with the retired plain value: refused,"
          + " alerted, ledger unchanged; with the flag on until an expiry: applied, stored, verified"
          + " again and consumed by the drift gate, deployed over the drift",
      TrustScenarios::breakGlassWithoutFlag),
  TWO_PERSON_APPROVAL(
      "two-person-approval",
      "prod waits for 2 distinct signed approvals; one key signing twice does not count",
      TrustScenarios::twoPersonApproval),
  AUDIT_TAMPER(
      "audit-tamper",
      "an audit entry is edited after anchoring: verify fails, naming the sequence and the anchor",
      TrustScenarios::auditTamper),
  // Approvals wait without restarts.
  APPROVAL_ARRIVES_LATE(
      "approval-arrives-late",
      "prod waits 3 hours for its second approval: no restart, no audit entry meanwhile; then"
          + " deploys",
      ApprovalScenarios::approvalArrivesLate),
  APPROVAL_EXPIRES_WHILE_WAITING(
      "approval-expires-while-waiting",
      "the first approval expires before the second arrives: the lease ignores and audits it"
          + " (APPROVAL_EXPIRED), prod keeps waiting; a fresh approval deploys",
      ApprovalScenarios::approvalExpiresWhileWaiting),
  // Nobody but the control plane writes the ledger or the audit log.
  CI_FORGES_LEDGER_DOWNGRADE(
      "ci-forges-ledger-downgrade",
      "prod runs the second commit; CI rewrites the first one's record to promoted/prod pending on"
          + " the sweep index: refused by IAM; sweeps run, prod unchanged",
      RegistrarAttacks::ciForgesLedgerDowngrade),
  CI_PREWRITES_LEASE_TO_SKIP_APPROVALS(
      "ci-prewrites-lease-to-skip-approvals",
      "prod needs 2 approvals; CI pre-writes deploying for the sweeper's next execution name:"
          + " refused by IAM; the commit still waits for its approvals",
      RegistrarAttacks::ciPrewritesLeaseToSkipApprovals),
  AUDIT_TAIL_REWRITE(
      "audit-tail-rewrite",
      "CI overwrites the last audit entry, moves the head and appends a fake operator entry:"
          + " refused by IAM; the chain verifies unchanged",
      RegistrarAttacks::auditTailRewrite),
  // Decisions rest on the evidence an execution verified.
  CI_SWAPS_ARTIFACT_DURING_TESTS(
      "ci-swaps-artifact-during-tests",
      "while stage tests run, CI overwrites candidate objects, re-signs the manifest and rewrites"
          + " the record's digest: the overwrites are refused by the bucket policy; the release"
          + " gets exactly the tested versions",
      EvidenceAttacks::ciSwapsArtifactDuringTests),
  CI_SWAPS_TEMPLATE_AT_DESTINATION(
      "ci-swaps-template-at-destination",
      "after prod's VerifyManifest checked the published templates, the holder of the bootstrap's"
          + " publishing role overwrites prod's template object: the deploy re-hashes it, refuses"
          + " it, and would only ever give CloudFormation the version it checked",
      EvidenceAttacks::ciSwapsTemplateAtDestination),
  IMAGE_ASSET(
      "image-asset",
      "an app with a Docker image asset: CI pushes the image to stage's and prod's bootstrap"
          + " repositories and signs its digest; each VerifyManifest finds that digest under the"
          + " asset's tag; promoted",
      ImageScenarios::imageAsset),
  CI_PUSHES_OTHER_IMAGE_UNDER_SIGNED_TAG(
      "ci-pushes-other-image-under-signed-tag",
      "the holder of prod's image-publishing role takes the image asset's tag in prod before CI's"
          + " push gets there, and tries to move stage's after signing: ECR's immutable tags and"
          + " IAM keep stage's; prod's VerifyManifest refuses the other digest"
          + " (ASSET_IMAGE_DIGEST_MISMATCH); prod unchanged",
      ImageScenarios::ciPushesOtherImageUnderSignedTag),
  TEMPLATE_CREATES_ADMIN_ROLE(
      "template-creates-admin-role",
      "a signed release's template creates an AdministratorAccess role trusted by an outside"
          + " account: the execution role's boundary refuses iam:CreateRole, the stage deploy fails"
          + " and rolls back; prod unchanged",
      EvidenceAttacks::templateCreatesAdminRole),
  // The anchorer is watched.
  ANCHORER_SILENCED(
      "anchorer-silenced",
      "an anchored audit entry is edited in the table: every anchorer run refuses it"
          + " (AUDIT_ENTRY_UNAUTHENTICATED, alerted) and AnchorHeartbeat is in ALARM within one"
          + " anchor period; prod unchanged",
      AuditAttacks::anchorerSilenced),
  // Trust roots: break-glass, revoked keys, the override audience (attacks and operator misuse).
  FORGED_BREAK_GLASS(
      "forged-break-glass",
      "CI writes manual_override_requested with a junk signature on the record; prod has drifted:"
          + " refused BREAK_GLASS_FORGED at the drift gate, prod unchanged",
      BreakGlassAttacks::forgedBreakGlass),
  BREAK_GLASS_REUSED_IN_PROD(
      "break-glass-reused-in-prod",
      "a break_glass signed for stage reaches prod (BREAK_GLASS_MISMATCH); a consumed prod"
          + " break_glass is used by a second execution: refused BREAK_GLASS_REUSED, prod unchanged",
      BreakGlassAttacks::breakGlassReusedInProd),
  REVOKED_SIGNER_KEY(
      "revoked-signer-key",
      "CI's signer key is revoked in the trust configuration (no new function version); a manifest"
          + " signed with it after the 60 s TTL: refused SIGNER_UNTRUSTED, prod unchanged",
      BreakGlassAttacks::revokedSignerKey),
  OVERRIDE_FOR_OTHER_INSTALLATION(
      "override-for-other-installation",
      "a rollback signed for another installation is submitted here: refused"
          + " OVERRIDE_WRONG_INSTALLATION, ledger and prod unchanged",
      BreakGlassAttacks::overrideForOtherInstallation),
  // The context an artifact was built with is the one that is checked.
  CONTEXT_REBLESS_MID_FLIGHT(
      "context-rebless-mid-flight",
      "stage and prod are re-blessed with a new context while the artifact's stage tests run: it"
          + " still deploys to prod, verified against the bless it was built with",
      ContextScenarios::contextReblessMidFlight),
  CONTEXT_NEVER_BLESSED(
      "context-never-blessed",
      "CI builds with its own context and names a bless that never happened (its write to the"
          + " contexts bucket is refused): refused CONTEXT_NOT_BLESSED, prod unchanged",
      ContextScenarios::contextNeverBlessed),
  CONTEXT_BLESS_REVOKED(
      "context-bless-revoked",
      "the bless an artifact was built with is revoked during its stage tests: prod refuses it"
          + " CONTEXT_BLESS_REVOKED, prod unchanged",
      ContextScenarios::contextBlessRevoked),
  REGISTRAR_LATE(
      "registrar-late",
      "S3's event starts the pipeline before CI's cairn publish reached the registrar:"
          + " VerifyManifest waits for the record, then verifies and deploys",
      RegistrationScenarios::registrarLate),
  UNREGISTERED_UPLOAD(
      "unregistered-upload",
      "CI uploads a signed artifact and never registers it: after VerifyManifest's wait it is"
          + " refused ARTIFACT_DIGEST_UNEXPECTED with an audit entry, prod unchanged",
      RegistrationScenarios::unregisteredUpload);

  private final String wireName;
  private final String description;
  private final ScenarioScript script;

  Scenario(String wireName, String description, ScenarioScript script) {
    this.wireName = wireName;
    this.description = description;
    this.script = script;
  }

  public String wireName() {
    return wireName;
  }

  public String description() {
    return description;
  }

  /** What the scenario does. */
  public ScenarioScript script() {
    return script;
  }

  /** Parses a command-line name. */
  public static Scenario of(String name) {
    for (Scenario s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario \"" + name + "\"; one of " + names());
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Scenario::wireName).toList();
  }
}
