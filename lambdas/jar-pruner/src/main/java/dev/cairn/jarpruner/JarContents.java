package dev.cairn.jarpruner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A jar's entries in their order, with each entry's zip metadata (time, method): what the tools
 * here read and rewrite.
 */
record JarContents(Map<String, byte[]> entries, Map<String, ZipEntry> meta) {

  static JarContents read(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, ZipEntry> meta = new HashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
        meta.put(e.getName(), e);
      }
    }
    return new JarContents(entries, meta);
  }
}
