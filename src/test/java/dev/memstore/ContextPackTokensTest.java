package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.embed.BundledEmbedder;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A context pack counts tokens with the bundled model's own tokenizer where it is loaded. */
class ContextPackTokensTest {
  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withBundledModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  /** Dense with punctuation and digits: the tokenizer makes far more of it than characters/4. */
  private static final String DENSE = "Ana's PIN: 4-7-1-9; ZIP 10-115; tel. +49 (30) 12-34-56.";

  private static int modelTokens(String content) {
    BundledEmbedder tokenizer =
        (BundledEmbedder) BundledEmbedder.named(BundledEmbedder.DEFAULT_MODEL).orElseThrow();
    return tokenizer.countTokens(content) + ContextPack.LINE_TOKENS;
  }

  @Test
  void contextPack_bundledModel_countsWithTheModelsTokenizer() {
    assertNotEquals(ContextPack.estimateTokens(DENSE), modelTokens(DENSE));
    String session = stores.store().sessions().create("ana", null, Map.of()).id();
    stores.store().create(NewMemory.builder(DENSE).userId("ana").factKey("ana:contact").build());
    for (int turn = 0; turn < 30; turn++) {
      stores.store().create(NewMemory.builder(DENSE + " turn " + turn).sessionId(session).build());
      stores.clock().advance(Duration.ofSeconds(1));
    }

    for (int budget : List.of(40, 100, 250, 400)) {
      ContextPack pack = stores.store().contextPack(session, null, budget);
      int counted =
          pack.profile().stream().mapToInt(memory -> modelTokens(memory.content())).sum()
              + pack.recent().stream().mapToInt(memory -> modelTokens(memory.content())).sum();
      int estimated =
          pack.profile().stream().mapToInt(m -> ContextPack.estimateTokens(m.content())).sum()
              + pack.recent().stream().mapToInt(m -> ContextPack.estimateTokens(m.content())).sum();
      assertEquals(counted, pack.estimatedTokens(), "budget " + budget);
      assertTrue(counted <= budget, "budget " + budget + ", counted " + counted);
      assertTrue(estimated < counted, "characters/4 undercounts this text");
    }
  }
}
