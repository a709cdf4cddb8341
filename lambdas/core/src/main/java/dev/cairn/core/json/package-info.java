/**
 * Strict JSON parsing and RFC 8785 canonical form. Every document that crosses a trust boundary is
 * read through {@link dev.cairn.core.json.Json}; every signature and audit hash covers {@link
 * dev.cairn.core.json.CanonicalJson} bytes.
 */
package dev.cairn.core.json;
