/**
 * The deployer's ports: the capabilities its use cases need from outside core, each an interface
 * named for the capability and implemented by an adapter named for its technology.
 *
 * <ul>
 *   <li>{@link dev.cairn.core.pipeline.port.ArtifactStore}: candidate and release buckets ({@code
 *       S3ArtifactStore});
 *   <li>{@link dev.cairn.core.pipeline.port.StackDeployers} and {@link
 *       dev.cairn.core.pipeline.port.StackDeployer}: CloudFormation in each environment's account
 *       ({@code AssumedRoleStackDeployers}, {@code CloudFormationStackDeployer});
 *   <li>{@link dev.cairn.core.pipeline.port.AlarmMonitor}: the bake's alarms ({@code
 *       CloudWatchAlarmMonitor});
 *   <li>{@link dev.cairn.core.pipeline.port.AssetDestinations}: published file and image assets
 *       ({@code S3EcrAssetDestinations});
 *   <li>{@link dev.cairn.core.pipeline.port.PipelineMetrics}: the spec's metrics ({@code
 *       PowertoolsPipelineMetrics});
 *   <li>{@link dev.cairn.core.pipeline.port.RollbackTarget}: the last known good commit ({@code
 *       rollback.LastKnownGood}, on the ledger);
 *   <li>{@link dev.cairn.core.pipeline.port.DriftOverride}: a signed break-glass drift override
 *       ({@code override.BreakGlassGate}).
 * </ul>
 *
 * <p>A port names nothing in core but values (records, enums) and other ports' interfaces ({@code
 * CoreDependencyRulesTest}). The errors a port may throw ({@code DriftDetected}, …) stay in {@code
 * dev.cairn.core.pipeline}: the state machine's {@code Catch} and {@code Retry} match their fully
 * qualified class names.
 */
package dev.cairn.core.pipeline.port;
