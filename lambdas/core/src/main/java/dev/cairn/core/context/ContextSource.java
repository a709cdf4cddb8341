package dev.cairn.core.context;

import java.io.IOException;

/** Produces the context file's bytes by running the lookups afresh (never from a cache). */
@FunctionalInterface
public interface ContextSource {
  byte[] generate() throws IOException;
}
