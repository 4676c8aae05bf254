package dev.memstore.cli;

import dev.memstore.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The sample conversation {@code memctl demo} stores: the turns of a short chat with an assistant,
 * the facts and preferences it learned (each from one turn, counted from 1), and a summary.
 */
record DemoConversation(String user, List<Turn> turns, List<Fact> facts, String summary) {
  private static final String RESOURCE = "demo-conversation.json";

  record Turn(String role, String text) {}

  record Fact(
      String key,
      int turn,
      String type,
      String tier,
      double importance,
      List<String> tags,
      String text) {}

  static DemoConversation load() {
    try (InputStream json = DemoConversation.class.getResourceAsStream(RESOURCE)) {
      if (json == null) {
        throw new IllegalStateException(RESOURCE + " is missing from memctl's jar");
      }
      return Json.MAPPER.readValue(json, DemoConversation.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  Fact fact(String key) {
    return facts.stream()
        .filter(fact -> fact.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the demo has no fact '" + key + "'"));
  }
}
