/**
 * Release evidence: one record per artifact, environment and execution ({@code
 * schema/release-evidence.v1.json}), built only from what the writing execution can vouch for,
 * stored write-once and recorded in the audit chain by its SHA-256 ({@link
 * dev.cairn.core.evidence.ReleaseEvidenceRecorder}), by the deployer when an execution records its
 * end and by the finalizer, from the ledger, the audit chain and the execution's status ({@link
 * dev.cairn.core.evidence.EndedExecution}, never its history), when it ended without recording
 * ({@link dev.cairn.core.failure.ExecutionEndFailure}); the blocker class of every failure code
 * ({@link dev.cairn.core.failure.BlockerClasses}); the check against the chain and the anchors
 * ({@link dev.cairn.core.evidence.EvidenceVerifier}); and its in-toto/SLSA form signed as DSSE
 * ({@link dev.cairn.core.evidence.ProvenanceStatement}, {@link dev.cairn.core.evidence.Dsse}).
 */
package dev.cairn.core.evidence;
