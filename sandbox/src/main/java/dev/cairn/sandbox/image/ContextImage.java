package dev.cairn.sandbox.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.json.Json;
import dev.cairn.local.emulators.EcrEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the sandbox's CI step pushes for a Docker image asset, since no Docker daemon runs here: an
 * OCI image of one uncompressed layer holding the build context's files as they are (sorted, owner
 * 0:0, mode 0644, time 0), labelled as not built. The same context always gives the same bytes, so
 * the same digest; the digest is the SHA-256 of the manifest bytes as ECR computes it. Nothing in
 * it runs: it stands for the image a real CI builds with {@code cdk-assets} and Docker, so that the
 * path from the signed digest to the destination tag is exercised with real bytes.
 *
 * @param layer the layer tar
 * @param config the OCI image configuration (JSON)
 * @param manifest the OCI image manifest (JSON), whose SHA-256 is the image digest
 */
public record ContextImage(byte[] layer, byte[] config, byte[] manifest) {

  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar";

  /** The label every such image carries, so that no one mistakes it for a built image. */
  public static final String LABEL = "dev.cairn.sandbox.context-image";

  /** Builds the image of {@code context} (a directory) for the asset {@code assetId}. */
  public static ContextImage of(String assetId, Path context) throws IOException {
    byte[] layer = tar(context);
    ObjectNode config = Json.object();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config
        .putObject("config")
        .putObject("Labels")
        .put(
            LABEL,
            "the build context of asset "
                + assetId
                + " as one layer; not built (the sandbox has no Docker daemon)");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(EcrEmulator.sha256(layer));
    byte[] configBytes = Json.compact(config).getBytes(StandardCharsets.UTF_8);
    ObjectNode manifest = Json.object();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.set("config", descriptor(CONFIG_MEDIA_TYPE, configBytes));
    manifest.putArray("layers").add(descriptor(LAYER_MEDIA_TYPE, layer));
    manifest.putObject("annotations").put(LABEL, assetId);
    return new ContextImage(
        layer, configBytes, Json.compact(manifest).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code sha256:<hex>} of the manifest: the image digest. */
  public String digest() {
    return EcrEmulator.sha256(manifest);
  }

  /** The blobs the manifest references, layer first. */
  public List<byte[]> blobs() {
    return List.of(layer, config);
  }

  private static ObjectNode descriptor(String mediaType, byte[] blob) {
    ObjectNode d = Json.object();
    d.put("mediaType", mediaType);
    d.put("digest", EcrEmulator.sha256(blob));
    d.put("size", blob.length);
    return d;
  }

  /** A POSIX ustar archive of the regular files under {@code dir}, sorted by path. */
  static byte[] tar(Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Path> files;
    try (var walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String name = dir.relativize(f).toString().replace('\\', '/');
      byte[] body = Files.readAllBytes(f);
      out.writeBytes(header(name, body.length));
      out.writeBytes(body);
      out.writeBytes(new byte[(512 - body.length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]); // two zero blocks end the archive
    return out.toByteArray();
  }

  private static byte[] header(String path, long size) {
    byte[] h = new byte[512];
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    String prefix = "";
    if (name.length > 100) {
      // ustar splits a long path at a '/' into prefix (155 bytes) and name (100 bytes).
      int cut = path.lastIndexOf('/', path.length() - 1);
      while (cut > 0 && path.substring(cut + 1).getBytes(StandardCharsets.UTF_8).length > 100) {
        cut = path.indexOf('/', cut + 1);
      }
      if (cut <= 0
          || path.substring(0, cut).getBytes(StandardCharsets.UTF_8).length > 155
          || path.substring(cut + 1).getBytes(StandardCharsets.UTF_8).length > 100) {
        throw new IllegalArgumentException(
            "the build context's path " + path + " is too long for a ustar layer");
      }
      prefix = path.substring(0, cut);
      name = path.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
    }
    System.arraycopy(name, 0, h, 0, name.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 0);
    h[156] = '0';
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(p, 0, h, 345, p.length);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - s.length())) + s;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, Math.min(b.length, length - 1));
  }
}
