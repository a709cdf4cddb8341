package dev.cairn.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version baked into the jar manifest. */
public final class CairnVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = CairnCli.class.getPackage().getImplementationVersion();
    return new String[] {"cairn " + (v == null ? "development build" : v)};
  }
}
