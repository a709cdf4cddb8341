package dev.cairn.local.servers;

/**
 * Physical names of the shared tables created for one test class. Each class gets its own copy of
 * every table (same key schema, GSIs and TTL as the deployed ones), so classes cannot see each
 * other's rows.
 */
public record LocalTables(String artifactMetadata, String auditLog, String idempotency) {}
