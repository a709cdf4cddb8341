/**
 * EventBridge rules as EventBridge applies them, so the sandbox decides what starts from the
 * synthesized {@code AWS::Events::Rule} resources and not from Java glue.
 *
 * <ul>
 *   <li>{@link dev.cairn.sandbox.events.EventRule}: one rule from its CloudFormation {@code
 *       Properties} (already resolved). Patterns are matched by AWS's event-ruler; each target's
 *       input ({@code Input}, {@code InputPath}, {@code InputTransformer}) is built as the
 *       EventBridge User Guide describes. What PutRule/PutTargets would refuse is refused at
 *       construction with an {@link java.lang.IllegalArgumentException} naming rule and target.
 *   <li>{@link dev.cairn.sandbox.events.TargetInvocation}: one delivery, with the exact text the
 *       target receives.
 *   <li>{@link dev.cairn.sandbox.events.AwsEvents}: the events S3, Step Functions and the scheduler
 *       put on the default bus, shaped as the service docs show them, with caller-supplied time and
 *       ids.
 * </ul>
 *
 * <p>Where the docs are silent or contradict themselves the choice is written next to the code,
 * with the doc quote, and listed in {@code docs/decisions/2026-12-06-eventbridge-rules.md}.
 */
package dev.cairn.sandbox.events;
