package dev.memstore.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest; "dev" when running from compiled classes. */
final class ManifestVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"memctl " + version()};
  }

  static String version() {
    String version = Memctl.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? "dev" : version;
  }
}
