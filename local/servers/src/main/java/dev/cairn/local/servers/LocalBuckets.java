package dev.cairn.local.servers;

/** Physical names of the buckets created (versioned) for one test class. */
public record LocalBuckets(
    String candidate, String release, String contexts, String auditAnchors) {}
