/**
 * The sandbox's independent IAM check: every AWS call the sandbox records is evaluated against the
 * synthesized policies by {@code @cloud-copilot/iam-simulate} in a separate node process ({@code
 * sandbox/iam-check}), not by Cairn's own reading of IAM. That package is AGPL-3.0, so it runs at
 * test time only and is never bundled into, or linked with, anything Cairn ships.
 */
package dev.cairn.sandbox.iam;
