/**
 * The hash-chained audit log ({@code docs/audit-chain.md}): how an entry is sealed ({@link
 * dev.cairn.core.audit.AuditChain}: SHA-256 over RFC 8785 canonical JSON, linked by {@code
 * previous_log_hash}), the {@link dev.cairn.core.audit.port.AuditLog} port, and the streaming
 * {@link dev.cairn.core.audit.AuditChainVerifier}.
 */
package dev.cairn.core.audit;
