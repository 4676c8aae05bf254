package dev.memstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a file that a command is about to write (backup, export): its folder exists, it is not the
 * store or one of the store's own files, and it is new unless replacing it was asked for.
 */
final class OutputFile {
  /** The files beside the store that belong to it, by suffix of its name. */
  static final List<String> STORE_FILES = List.of("", "-wal", "-shm", "-journal", ".snapshot");

  private OutputFile() {}

  /**
   * Returns the absolute target, or fails: exit 1 when its folder is missing, 4 when it is the
   * store or one of its files, or exists and {@code replace} is false.
   */
  static Path check(Path store, String target, boolean replace, String replaceHint) {
    Path file = Path.of(target).toAbsolutePath().normalize();
    Path folder = file.getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      throw new CliException(
          ExitCodes.ERROR,
          "no folder " + folder + " for " + file.getFileName() + "; create it first");
    }
    Path real = real(file);
    for (String suffix : STORE_FILES) {
      Path own = store.resolveSibling(store.getFileName() + suffix);
      if (real.equals(real(own)) || sameExistingFile(file, own)) {
        throw new CliException(
            ExitCodes.REFUSED,
            file
                + (suffix.isEmpty() ? " is the store itself" : " belongs to the store " + store)
                + "; choose another file");
      }
    }
    if (Files.isDirectory(file)) {
      throw new CliException(ExitCodes.REFUSED, file + " is a folder; choose a new file");
    }
    if (Files.exists(file) && !replace) {
      throw new CliException(ExitCodes.REFUSED, file + " exists; choose a new file" + replaceHint);
    }
    return file;
  }

  /** The path with its folder's links resolved, and its own when it exists. */
  private static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      if (Files.exists(absolute)) {
        return absolute.toRealPath();
      }
      Path folder = absolute.getParent();
      return folder == null || !Files.isDirectory(folder)
          ? absolute
          : folder.toRealPath().resolve(absolute.getFileName());
    } catch (IOException unreadable) {
      return absolute;
    }
  }

  /** True for two names of one file, such as hard links. */
  private static boolean sameExistingFile(Path first, Path second) {
    try {
      return Files.exists(first) && Files.exists(second) && Files.isSameFile(first, second);
    } catch (IOException unreadable) {
      return false;
    }
  }
}
