package dev.memstore.internal.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.CircuitBreakerStatus.State;
import dev.memstore.Embedder;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The circuit breaker's state machine, on a clock the test moves. */
class EmbeddingServiceTest {
  private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");
  private final MutableClock clock = new MutableClock(START);

  /** Answers each text with what {@code behaviour} says, and counts the calls. */
  private static final class ScriptedModel implements Embedder {
    Function<String, float[]> behaviour = text -> new float[] {1, 0, 0};
    int calls;
    final String modelId;

    ScriptedModel(String modelId) {
      this.modelId = modelId;
    }

    @Override
    public String modelId() {
      return modelId;
    }

    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public float[] embed(String text) {
      calls++;
      return behaviour.apply(text);
    }
  }

  private static float[] crash(String text) {
    throw new IllegalStateException("model crashed on " + text);
  }

  @Test
  void embedAll_failuresBelowTheThreshold_stayClosedAndASuccessStartsTheCountAgain() {
    ScriptedModel model = new ScriptedModel("scripted");
    EmbeddingService service = new EmbeddingService(model, 3, clock);
    model.behaviour = EmbeddingServiceTest::crash;
    assertNull(service.embedAll(List.of("one")));
    assertEquals(
        "the embedding model is unavailable (last failure: "
            + "model crashed on two); keyword results only",
        service.embedQuery("two").problem());
    assertEquals(State.CLOSED, service.status().state());
    assertEquals(2, service.status().consecutiveFailures());

    model.behaviour = text -> new float[] {0, 1, 0};
    List<float[]> vectors = service.embedAll(List.of("a", "b"));
    assertEquals(2, vectors.size());
    assertEquals(1, vectors.get(1)[1]);
    assertEquals(0, service.status().consecutiveFailures());

    model.behaviour = EmbeddingServiceTest::crash;
    service.embedAll(List.of("three"));
    service.embedAll(List.of("four"));
    assertEquals(State.CLOSED, service.status().state(), "2 failures in a row, not 5");
    service.embedAll(List.of("five"));
    CircuitBreakerStatus open = service.status();
    assertEquals(State.OPEN, open.state());
    assertEquals(3, open.consecutiveFailures());
    assertEquals(EmbeddingService.FAILURE_THRESHOLD, open.failureThreshold());
    assertEquals(Duration.ofSeconds(30), open.coolDown());
    assertEquals(START, open.openedAt());
    assertEquals(START.plusSeconds(30), open.retryAt());
    assertEquals(START.plusSeconds(30), service.nextAttempt());
  }

  @Test
  void embedAll_openBreaker_waitsTheCoolDownThenOneTrialClosesOrReopensIt() {
    ScriptedModel model = new ScriptedModel("scripted");
    EmbeddingService service = new EmbeddingService(model, 3, clock);
    model.behaviour = EmbeddingServiceTest::crash;
    for (int failure = 0; failure < 3; failure++) {
      service.embedAll(List.of("text"));
    }
    model.behaviour = text -> new float[] {1, 1, 1};
    clock.advance(Duration.ofSeconds(29));
    assertNull(service.embedAll(List.of("early")));
    assertEquals(3, model.calls, "not called during the cool-down");
    assertEquals(
        "the embedding model is unavailable (circuit open after 3 failures: "
            + "model crashed on text); keyword results only",
        service.embedQuery("early").problem());

    // The trial fails: open again at once, for another cool-down from now.
    clock.advance(Duration.ofSeconds(1));
    model.behaviour = EmbeddingServiceTest::crash;
    assertNull(service.embedAll(List.of("trial")));
    assertEquals(4, model.calls);
    assertEquals(State.OPEN, service.status().state());
    assertEquals(START.plusSeconds(30), service.status().openedAt());
    assertEquals(START.plusSeconds(60), service.nextAttempt());

    // Half-open: while the trial runs, nothing else reaches the model.
    clock.advance(Duration.ofSeconds(30));
    List<Object> duringTrial = new ArrayList<>();
    model.behaviour =
        text -> {
          duringTrial.add(service.status().state());
          duringTrial.add(String.valueOf(service.embedAll(List.of("second caller"))));
          return new float[] {1, 1, 1};
        };
    assertNotNull(service.embedAll(List.of("trial")));
    assertEquals(List.of(State.HALF_OPEN, "null"), duringTrial);
    assertEquals(5, model.calls);
    CircuitBreakerStatus closed = service.status();
    assertEquals(State.CLOSED, closed.state());
    assertEquals(0, closed.consecutiveFailures());
    assertNull(closed.openedAt());
    assertNull(closed.retryAt());
    assertEquals(clock.instant(), service.nextAttempt());
  }

  @Test
  void embedAll_wrongAnswersFromTheModel_countAsFailures() {
    ScriptedModel model = new ScriptedModel("scripted");
    EmbeddingService service = new EmbeddingService(model, 3, clock);
    model.behaviour = text -> new float[] {1, 2};
    assertNull(service.embedAll(List.of("short")));
    assertEquals(
        "embedding has 2 dimensions, the store's vectors have 3", service.status().lastError());
    model.behaviour = text -> new float[] {1, Float.NaN, 0};
    assertNull(service.embedAll(List.of("not a number")));
    assertEquals(2, service.status().consecutiveFailures());

    Embedder missingOne =
        new Embedder() {
          @Override
          public String modelId() {
            return "missing-one";
          }

          @Override
          public int dimension() {
            return 3;
          }

          @Override
          public float[] embed(String text) {
            return new float[3];
          }

          @Override
          public List<float[]> embedAll(List<String> texts) {
            return List.of(new float[3]);
          }
        };
    EmbeddingService short1 = new EmbeddingService(missingOne, 3, clock);
    assertNull(short1.embedAll(List.of("a", "b")));
    assertEquals(1, short1.status().consecutiveFailures());
    assertTrue(short1.status().lastError().contains("returned 1 vectors for 2 texts"));
  }

  @Test
  void embedAll_noModelOrNoTexts_nullWithoutCallingAnything() {
    EmbeddingService none = new EmbeddingService(null, 3, clock);
    assertFalse(none.hasModel());
    assertNull(none.modelId());
    assertNull(none.embedAll(List.of("text")));
    assertEquals(
        "the store has no embedding model; keyword results only", none.embedQuery("x").problem());
    assertEquals(0, none.defaultMinSimilarity());

    ScriptedModel model = new ScriptedModel("scripted");
    EmbeddingService service = new EmbeddingService(model, 3, clock);
    assertTrue(service.hasModel());
    assertEquals("scripted", service.modelId());
    assertNull(service.embedAll(List.of()));
    assertEquals(0, model.calls);
    EmbeddingService.Outcome outcome = service.embedQuery("query");
    assertNull(outcome.problem());
    assertEquals(3, outcome.vector().length);
  }

  @Test
  void defaultMinSimilarity_perBundledModel() {
    assertEquals(
        0.2,
        new EmbeddingService(new ScriptedModel("all-minilm-l6-v2-q"), 3, clock)
            .defaultMinSimilarity());
    assertEquals(
        0.55,
        new EmbeddingService(new ScriptedModel("bge-small-en-v1.5-q"), 3, clock)
            .defaultMinSimilarity());
    assertEquals(
        0, new EmbeddingService(new ScriptedModel("own"), 3, clock).defaultMinSimilarity());
  }
}
