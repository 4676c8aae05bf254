package dev.memstore.internal.nativelib;

import java.util.Locale;

/**
 * The normalised name of an operating system and architecture, as the jar's native folders use it.
 */
record NativePlatform(String osName, String osArch) {

  static NativePlatform current() {
    return new NativePlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** Returns the folder name, for example {@code linux-x86_64} or {@code osx-aarch64}. */
  String folder() {
    return os() + "-" + arch();
  }

  /** Returns the file name of the extension on this operating system. */
  String libraryFileName() {
    return switch (os()) {
      case "osx" -> "vec0.dylib";
      case "windows" -> "vec0.dll";
      default -> "vec0.so";
    };
  }

  private String os() {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "osx";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replaceAll("[^a-z0-9]+", "");
  }

  private String arch() {
    String arch = osArch.toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64", "x86-64", "x64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> arch.replaceAll("[^a-z0-9_]+", "");
    };
  }
}
