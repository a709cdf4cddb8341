/**
 * A local executor for Amazon States Language (JSONPath query language, states-language.net) on a
 * virtual clock.
 *
 * <p>Contract: {@link dev.cairn.asl.StateMachine} rejects invalid definitions with {@link
 * dev.cairn.asl.AslDefinitionException}; {@link dev.cairn.asl.AslExecutor#execute} never throws for
 * runtime failures but returns an {@link dev.cairn.asl.ExecutionResult} with the Step Functions
 * status, error and cause. Tasks are answered by MockConfigFile responses first, then by {@link
 * dev.cairn.asl.TaskHandlers}; a Task with neither fails with {@code States.Runtime}.
 *
 * <p>Structure: {@code StateMachine} validates a definition and types it once ({@code ModelParser}
 * into the sealed {@code State} records of a {@code StateGraph}); an {@code Execution} runs that
 * model with one {@code Frame} per state, {@code RetryAndCatch} around the Task, Parallel and Map
 * runners, and {@code DataFlow} for paths and intrinsics. The definition JSON is never read again
 * once the model exists.
 */
package dev.cairn.asl;
