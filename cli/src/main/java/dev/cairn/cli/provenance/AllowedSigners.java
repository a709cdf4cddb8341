package dev.cairn.cli.provenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An SSH allowed-signers file, in the format of {@code ssh-keygen(1)}'s ALLOWED SIGNERS section
 * (git's {@code gpg.ssh.allowedSignersFile}): one signer per line, {@code principals [options]
 * keytype base64-key [comment]}; {@code #} comments and blank lines are skipped. Of the options,
 * {@code namespaces="…"} restricts where the key may sign; {@code cert-authority} (CA-signed
 * certificates) is refused as unsupported rather than ignored, and so is any option not listed
 * here, since ignoring a restriction would widen what the file allows.
 */
final class AllowedSigners {

  /** One signer: who, where it may sign (null: anywhere), and its public key blob. */
  record Entry(String principals, List<String> namespaces, byte[] publicKey) {}

  private final List<Entry> entries;

  private AllowedSigners(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static AllowedSigners parse(String text) {
    List<Entry> out = new ArrayList<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> tokens = tokens(line);
      if (tokens.size() < 3) {
        throw new IllegalArgumentException("allowed signers line " + n + ": too few fields");
      }
      int i = 1;
      List<String> namespaces = null;
      if (!isKeyType(tokens.get(1))) {
        for (String option : splitOptions(tokens.get(1))) {
          String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
          if (name.equalsIgnoreCase("namespaces")) {
            String v = unquote(option.substring(option.indexOf('=') + 1));
            namespaces = Arrays.stream(v.split(",")).map(String::strip).toList();
          } else {
            throw new IllegalArgumentException(
                "allowed signers line " + n + ": option " + name + " is not supported");
          }
        }
        i = 2;
      }
      if (tokens.size() < i + 2 || !isKeyType(tokens.get(i))) {
        throw new IllegalArgumentException("allowed signers line " + n + ": no key type and key");
      }
      byte[] blob;
      try {
        blob = CommitSignature.base64(tokens.get(i + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("allowed signers line " + n + ": the key is not base64");
      }
      if (!new SshSignatures.Reader(blob).string().equals(tokens.get(i))) {
        throw new IllegalArgumentException(
            "allowed signers line " + n + ": the key is not a " + tokens.get(i) + " key");
      }
      out.add(new Entry(tokens.get(0), namespaces, blob));
    }
    return new AllowedSigners(out);
  }

  /** The entry for exactly this key that may sign in {@code namespace}. */
  Optional<Entry> find(byte[] publicKey, String namespace) {
    return entries.stream()
        .filter(e -> Arrays.equals(e.publicKey(), publicKey))
        .filter(e -> e.namespaces() == null || e.namespaces().contains(namespace))
        .findFirst();
  }

  private static boolean isKeyType(String t) {
    return t.startsWith("ssh-") || t.startsWith("ecdsa-sha2-") || t.startsWith("sk-");
  }

  /** Whitespace-separated tokens; double quotes keep spaces and commas together. */
  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (!quoted && Character.isWhitespace(c)) {
        if (t.length() > 0) {
          out.add(t.toString());
          t.setLength(0);
        }
      } else {
        t.append(c);
      }
    }
    if (t.length() > 0) {
      out.add(t.toString());
    }
    return out;
  }

  private static List<String> splitOptions(String options) {
    List<String> out = new ArrayList<>();
    StringBuilder t = new StringBuilder();
    boolean quoted = false;
    for (char c : options.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (!quoted && c == ',') {
        out.add(t.toString());
        t.setLength(0);
      } else {
        t.append(c);
      }
    }
    out.add(t.toString());
    return out;
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1)
        : v;
  }
}
