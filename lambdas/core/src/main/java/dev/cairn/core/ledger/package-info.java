/**
 * The artifact ledger: the {@code cdk-artifact-metadata} record ({@link
 * dev.cairn.core.ledger.ArtifactRecord}, every attribute of the spec's "Metadata Tracking"), the
 * {@link dev.cairn.core.ledger.port.DeploymentLedger} port, and {@link
 * dev.cairn.core.ledger.TransitionPlanner}, the pure part of every write. Contract: a record
 * changes only through the port, each change is checked against {@link
 * dev.cairn.core.lifecycle.LifecycleTransitions}, bumps {@code version}, refreshes the sweep index
 * attributes and commits together with its audit entry.
 */
package dev.cairn.core.ledger;
