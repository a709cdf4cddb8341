package dev.cairn.cli.common;

/** {@code --format}: text for people, json for scripts (exactly one JSON document on stdout). */
public enum OutputFormat {
  text,
  json
}
