package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code $MEMSTORE_BUSY_TIMEOUT}: how long memctl waits for another process's lock. */
class BusyTimeoutTest {
  @TempDir Path folder;

  private static Duration busyTimeout(Map<String, String> environment) {
    return new StoreLocation(environment::get, "Linux", Path.of("/home/sam")).busyTimeout();
  }

  @Test
  void busyTimeout_unset_leavesTheStoreDefault() {
    assertNull(busyTimeout(Map.of()));
    assertNull(busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", " ")));
  }

  @Test
  void busyTimeout_durations_parse() {
    assertEquals(Duration.ofSeconds(1), busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", "1s")));
    assertEquals(Duration.ofMillis(250), busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", "250ms")));
    assertEquals(Duration.ofMinutes(2), busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", "PT2M")));
    assertEquals(Duration.ZERO, busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", "0s")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "11m", "-PT1S"})
  void busyTimeout_badValue_isAUsageErrorNamingTheVariable(String value) {
    CliException failure =
        assertThrows(CliException.class, () -> busyTimeout(Map.of("MEMSTORE_BUSY_TIMEOUT", value)));
    assertEquals(ExitCodes.USAGE, failure.exitCode());
    assertTrue(failure.getMessage().startsWith("$MEMSTORE_BUSY_TIMEOUT "), failure.getMessage());
    assertTrue(failure.getMessage().contains(value), failure.getMessage());
  }

  @Test
  void memctl_badBusyTimeout_exitsUsageBeforeOpeningTheStore() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String file = folder.resolve("memory.db").toString();
    int code =
        Memctl.run(
            new String[] {"--db", file, "add", "text"},
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(new byte[0]),
            Map.of("MEMSTORE_BUSY_TIMEOUT", "soon"));
    assertEquals(ExitCodes.USAGE, code, err.toString());
    assertTrue(err.toString().startsWith("memctl: $MEMSTORE_BUSY_TIMEOUT must be"), err.toString());
    assertTrue(out.toString().isEmpty());
    assertTrue(!folder.resolve("memory.db").toFile().exists(), "nothing created");
  }
}
