/**
 * Audit anchoring (spec: Audit Logging &amp; Cryptographic Anchoring, Mandatory Anchor Publication
 * Policy): the chain head is written write-once to {@code audit-log-anchors/} and published outside
 * AWS, so a chain rewritten later disagrees with an anchor nobody inside AWS can change.
 */
package dev.cairn.core.anchor;
