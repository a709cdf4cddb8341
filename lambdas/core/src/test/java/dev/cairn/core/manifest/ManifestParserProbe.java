package dev.cairn.core.manifest;

/** Lets tests in other packages ask {@link ManifestParser} what it decided, without widening it. */
public final class ManifestParserProbe {

  private ManifestParserProbe() {}

  public static boolean mayHoldUnpairedSurrogate(byte[] json) {
    return ManifestParser.mayHoldUnpairedSurrogate(json);
  }
}
