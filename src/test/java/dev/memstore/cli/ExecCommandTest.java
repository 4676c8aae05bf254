package dev.memstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
