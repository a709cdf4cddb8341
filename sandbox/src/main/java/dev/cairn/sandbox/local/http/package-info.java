/**
 * AWS wire protocols on loopback, for programs that run outside the sandbox's JVM (the CI
 * workflow's {@code cdk-assets} and {@code cairn} commands) and must still act as a principal whose
 * every call IAM decides.
 *
 * <p>{@link dev.cairn.sandbox.local.http.LocalAwsEndpoint} is one HTTP server for every service. It
 * routes a request by the service in its SigV4 credential scope, and knows the caller by the access
 * key: keys are issued only by the endpoint ({@link
 * dev.cairn.sandbox.local.http.LocalAwsEndpoint#issue}) and by its STS, so each key names one
 * principal. Each request is recorded as that principal's SDK call (the sandbox's {@code CallLog}),
 * so the same mapper and evaluator decide it as an in-process call. Signatures are not verified:
 * the endpoint's callers are the sandbox's own processes, and the principal comes from the key the
 * endpoint issued to exactly one of them.
 */
package dev.cairn.sandbox.local.http;
