package dev.memstore.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.testing.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;

  private CliRun exec(String input) {
    StoreLocation location = new StoreLocation(Map.<String, String>of()::get, "Linux", folder);
    return CliRun.memctl(location, input, "--db", folder.resolve("memory.db").toString(), "exec");
  }

  @Test
  void exec_twoRequestsAndOneMalformed_answersEachOnItsOwnLine() throws Exception {
    String input =
        String.join(
            "\n",
            "{\"action\":\"create\",\"request_id\":\"r1\",\"payload\":{\"content\":\"hello\"}}",
            "",
            "this is not json",
            "   ",
            "{\"action\":\"stats\",\"request_id\":\"r3\"}",
            "");
    CliRun run = exec(input);
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("", run.err());
    List<String> lines = run.outLines();
    assertEquals(3, lines.size(), run::toString);

    JsonNode created = JSON.readTree(lines.get(0));
    assertEquals("success", created.get("status").asText());
    assertEquals("r1", created.get("request_id").asText());
    assertTrue(created.get("data").get("memory_id").asText().startsWith("mem-"));

    JsonNode malformed = JSON.readTree(lines.get(1));
    assertEquals("error", malformed.get("status").asText());
    assertEquals("invalid_request", malformed.get("error").get("code").asText());

    JsonNode stats = JSON.readTree(lines.get(2));
    assertEquals("success", stats.get("status").asText());
    assertEquals("r3", stats.get("request_id").asText());
    assertEquals(1, stats.get("data").get("total_memories").asLong());
  }

  @Test
  void exec_responsesEndInNewlineOnEveryPlatform() {
    CliRun run = exec("{\"action\":\"stats\"}");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().endsWith("}\n"), run.out());
    assertEquals(1, run.out().chars().filter(c -> c == '\n').count());
  }

  @Test
  void exec_emptyInput_createsTheStoreAndExitsZero() {
    CliRun run = exec("");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertTrue(Files.exists(folder.resolve("memory.db")));
  }

  private CliRun execBytes(byte[] input) {
    StoreLocation location = new StoreLocation(Map.<String, String>of()::get, "Linux", folder);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        Memctl.run(
            new String[] {"--db", folder.resolve("memory.db").toString(), "exec"},
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(input),
            location);
    return new CliRun(exitCode, out.toString(), err.toString());
  }

  /** Issue 19 item 14: bytes that are not UTF-8 are refused, not turned into U+FFFD. */
  @ParameterizedTest
  @ValueSource(strings = {"C328", "FF", "ED A0 80", "F8 88 80 80 80", "C0 AF", "E2 82"})
  void exec_invalidUtf8_invalidRequestNothingStoredAndGoesOn(String hex) throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.write("{\"action\":\"create\",\"payload\":{\"content\":\"bad ".getBytes(UTF_8));
    input.write(HexFormat.of().parseHex(hex.replace(" ", "")));
    input.write(" byte\"}}\n{\"action\":\"stats\"}\n".getBytes(UTF_8));
    CliRun run = execBytes(input.toByteArray());
    assertEquals(0, run.exitCode(), run::toString);
    List<String> lines = run.outLines();
    assertEquals(2, lines.size(), run::toString);
    JsonNode refused = JSON.readTree(lines.get(0));
    assertEquals("invalid_request", refused.get("error").get("code").asText(), run::toString);
    assertTrue(refused.get("error").get("message").asText().contains("UTF-8"), run::toString);
    JsonNode stats = JSON.readTree(lines.get(1));
    assertEquals(0, stats.get("data").get("total_memories").asLong(), run::toString);
  }

  /** Issue 18: a line past the limit is skipped while it is read; exec answers and goes on. */
  @Test
  void exec_lineLongerThanLimit_skippedAnsweredAndGoesOn() throws Exception {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.write("{\"action\":\"create\",\"payload\":{\"content\":\"".getBytes(UTF_8));
    input.write("x".repeat((16 << 20) + 10).getBytes(UTF_8));
    input.write(
        "\"}}\n{\"action\":\"create\",\"payload\":{\"content\":\"small\"}}\n".getBytes(UTF_8));
    CliRun run = execBytes(input.toByteArray());
    assertEquals(0, run.exitCode(), run::toString);
    List<String> lines = run.outLines();
    assertEquals(2, lines.size(), run::toString);
    JsonNode refused = JSON.readTree(lines.get(0));
    assertEquals("invalid_request", refused.get("error").get("code").asText());
    assertTrue(
        refused.get("error").get("message").asText().contains("limit of 16777216 bytes"),
        lines.get(0));
    assertEquals("success", JSON.readTree(lines.get(1)).get("status").asText());
  }

  /** Issue 18: 200 MB on one line with a 96 MB heap: refused, no OutOfMemoryError. */
  @Test
  void exec_200MegabyteLineOnSmallHeap_refusedWithoutRunningOutOfMemory() throws Exception {
    Path db = folder.resolve("small-heap.db");
    try (ChildJvm child =
        ChildJvm.start(folder, List.of("-Xmx96m"), ExecLargeLineMain.class, db.toString(), "200")) {
      assertEquals(0, child.waitFor(120, TimeUnit.SECONDS), child::errorOutput);
      List<String> lines = child.lines();
      assertEquals(3, lines.size(), () -> lines + child.errorOutput());
      assertEquals(
          "invalid_request", JSON.readTree(lines.get(0)).get("error").get("code").asText());
      JsonNode stats = JSON.readTree(lines.get(1));
      assertEquals("after", stats.get("request_id").asText());
      assertEquals(0, stats.get("data").get("total_memories").asLong());
      assertEquals("exit 0", lines.get(2));
    }
  }
}
