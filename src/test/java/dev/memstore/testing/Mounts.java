package dev.memstore.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File systems mounted for a test: a small tmpfs to fill up, a read-only view of a folder. Mounting
 * needs root with the capability to mount (CAP_SYS_ADMIN): where that is missing, the mount method
 * says why, and the test skips with that reason.
 */
public final class Mounts {
  private Mounts() {}

  /**
   * Mounts a tmpfs of the size (for example {@code 12m}) at the folder; returns null, or why it
   * could not.
   */
  public static String tmpfs(Path folder, String size) {
    return run(
        "mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", folder.toString());
  }

  /** Shows the source folder read-only at the target folder; returns null, or why it could not. */
  public static String readOnlyView(Path source, Path target) {
    String problem = run("mount", "--bind", source.toString(), target.toString());
    if (problem != null) {
      return problem;
    }
    problem = run("mount", "-o", "remount,bind,ro", target.toString());
    if (problem != null) {
      unmount(target);
    }
    return problem;
  }

  /** Unmounts the folder, quietly: the test's own checks say what went wrong. */
  public static void unmount(Path folder) {
    run("umount", folder.toString());
  }

  private static String run(String... command) {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return "mounting is tested on Linux only";
    }
    List<String> arguments = new ArrayList<>(List.of(command));
    try {
      Process process = new ProcessBuilder(arguments).redirectErrorStream(true).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return String.join(" ", arguments) + " did not finish";
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return process.exitValue() == 0
          ? null
          : String.join(" ", arguments)
              + " failed (needs root allowed to mount): "
              + output.strip();
    } catch (IOException e) {
      return String.join(" ", arguments) + " could not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
