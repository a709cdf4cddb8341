/**
 * Operator overrides (spec: manual promotion/rollback, break-glass, requeue, approvals). Requests
 * are signed like manifests, by operator keys from a trust policy separate from CI's; CI's key is
 * refused. A request lives at most 15 minutes and its nonce is single-use.
 */
package dev.cairn.core.override;
