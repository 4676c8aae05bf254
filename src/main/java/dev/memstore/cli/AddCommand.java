package dev.memstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Memory;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreBuilder;
import dev.memstore.NewMemory;
import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    resourceBundle = TypeAndTierOptions.Descriptions.NAME,
    description = {
      "Stores a memory and prints its id.",
      "Creates the store file if it is missing. echo TEXT | memctl add reads the text from"
          + " standard input."
    })
final class AddCommand extends StoreCommand {
  @Parameters(
      paramLabel = "TEXT",
      arity = "0..1",
      description =
          "The memory's text; - or none reads it from standard input (unless that is a"
              + " terminal).")
  private String text;

  @Mixin private TypeAndTierOptions typeAndTier;

  @Option(names = "--tag", paramLabel = "TAG", description = "A tag; repeat for more.")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--importance",
      paramLabel = "X",
      description = "How much it matters, 0 to 1. Default: 0.5.")
  private Double importance;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "Forget it after this many seconds. Default: keep it.")
  private Long ttlSeconds;

  @Option(
      names = "--session",
      paramLabel = "ID",
      description = "The active session it belongs to; its user becomes the memory's user.")
  private String sessionId;

  @Option(names = "--parent", paramLabel = "ID", description = "The memory it belongs under.")
  private String parentId;

  @Option(
      names = "--sensitive",
      description =
          "Seal its text and metadata with the store key (--key-file); kept out of the file's"
              + " indexes.")
  private boolean sensitive;

  @Option(
      names = "--fact-key",
      paramLabel = "KEY",
      description =
          "The fact it states, subject:attribute (such as user-12345:home_city): it supersedes the"
              + " current fact of that key.")
  private String factKey;

  @Option(
      names = "--valid-from",
      paramLabel = "TIME",
      converter = Converters.Time.class,
      description =
          "When the fact became true, ISO-8601 (a date: 00:00 UTC). Default: now. Needs --fact-key.")
  private Instant validFrom;

  @Override
  public Integer call() throws IOException {
    NewMemory.Builder memory =
        NewMemory.builder(text())
            .type(typeAndTier.type)
            .tier(typeAndTier.tier)
            .tags(tags)
            .sessionId(sessionId)
            .parentId(parentId)
            .sensitive(sensitive)
            .factKey(factKey)
            .validFrom(validFrom);
    if (importance != null) {
      memory.importance(importance);
    }
    if (ttlSeconds != null) {
      memory.ttl(Duration.ofSeconds(ttlSeconds));
    }
    Memory created;
    CircuitBreakerStatus model;
    try (MemoryStore store = open(Access.CREATE)) {
      created = store.create(memory.build());
      model = store.embeddings().circuitBreaker();
    }
    PrintWriter out = out();
    if (model.consecutiveFailures() > 0) {
      spec()
          .commandLine()
          .getErr()
          .println(
              "memctl: stored without a vector (searches find it by its words; it is embedded once"
                  + " the model works): "
                  + model.lastError());
    }
    if (json()) {
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("memory_id", created.id());
      json.put("created_at", Json.formatInstant(created.createdAt()));
      printJson(json);
    } else {
      out.println(created.id());
    }
    return ExitCodes.OK;
  }

  /** The text given, or read from standard input without its final line break. */
  private String text() throws IOException {
    if (text != null && !text.equals("-")) {
      return text;
    }
    if (text == null && memctl().inputIsTerminal()) {
      throw new ParameterException(
          spec().commandLine(), "missing TEXT: give it, or pipe it in (- reads standard input)");
    }
    // One byte more than the store takes, so that a larger text is refused, not cut.
    byte[] bytes = memctl().input().readNBytes(MemoryStoreBuilder.DEFAULT_MAX_CONTENT_BYTES + 1);
    if (bytes.length > MemoryStoreBuilder.DEFAULT_MAX_CONTENT_BYTES) {
      throw new CliException(
          ExitCodes.USAGE,
          "the text on standard input is larger than "
              + StatsView.bytes(MemoryStoreBuilder.DEFAULT_MAX_CONTENT_BYTES)
              + ", the most a memory holds");
    }
    String read = new String(bytes, StandardCharsets.UTF_8);
    return read.endsWith("\r\n")
        ? read.substring(0, read.length() - 2)
        : read.endsWith("\n") ? read.substring(0, read.length() - 1) : read;
  }
}
