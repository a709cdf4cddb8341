/**
 * AWS wire protocols on loopback, for programs that run outside the sandbox's JVM ({@code cairn
 * sandbox up}'s users, the CI workflow's {@code cdk-assets} and {@code cairn} commands) and must
 * still act as a principal whose every call IAM decides. One class per wire protocol: STS's query
 * protocol, S3's REST XML (forwarded to S3Proxy), KMS's JSON 1.1, Lambda's REST invoke and Step
 * Functions' JSON 1.0.
 *
 * <p>{@link dev.cairn.sandbox.local.http.LocalAwsEndpoint} is one HTTP server for every service. It
 * routes a request by the service in its SigV4 credential scope, and knows the caller by the access
 * key: keys are issued only by the endpoint ({@link
 * dev.cairn.sandbox.local.http.LocalAwsEndpoint#issue}) and by its STS, so each key names one
 * principal. Each request is recorded as that principal's SDK call (the sandbox's {@code CallLog}),
 * so the same mapper and evaluator decide it as an in-process call. Errors, the endpoint's own
 * included, come in the shape of the protocol the caller signed for.
 */
package dev.cairn.sandbox.local.http;
