package dev.memstore.internal.embed;

import dev.memstore.CircuitBreakerStatus;
import dev.memstore.Embedder;
import dev.memstore.MemoryStoreException;
import dev.memstore.ValidationException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's access to its embedder, behind a circuit breaker (seed 002): after {@value
 * #FAILURE_THRESHOLD} failures in a row the breaker opens and nothing calls the model for {@link
 * #COOL_DOWN}; then one trial call is let through (half-open) and its outcome closes or reopens the
 * breaker. While it is open, writes store memories without embeddings (the backlog embeds them
 * later) and searches fall back to keywords.
 *
 * <p>Every failure of the model counts, {@link Error}s included: a native library that does not
 * load (a tokenizer built for a newer C library, a damaged copy) throws {@link LinkageError}s,
 * first {@link UnsatisfiedLinkError} or {@link ExceptionInInitializerError}, then {@link
 * NoClassDefFoundError} on every later call. Only {@link VirtualMachineError}s (out of memory,
 * stack overflow) pass through: the process itself is in trouble, not the model.
 *
 * <p>Thread-safe.
 */
public final class EmbeddingService {
  private static final System.Logger LOG = System.getLogger(EmbeddingService.class.getName());
  static final int FAILURE_THRESHOLD = 3;
  static final Duration COOL_DOWN = Duration.ofSeconds(30);

  /** The answer to an embedding request: vectors, or why there are none. */
  public record Outcome(float[] vector, String problem) {}

  private final Embedder embedder;
  private final int dimension;
  private final InstantSource clock;
  private CircuitBreakerStatus.State state = CircuitBreakerStatus.State.CLOSED;
  private int consecutiveFailures;
  private Instant openedAt;
  private String lastError;
  private boolean trialInFlight;
  private volatile String movedTo;

  public EmbeddingService(Embedder embedder, int dimension, InstantSource clock) {
    this.embedder = embedder;
    this.dimension = dimension;
    this.clock = clock;
  }

  public boolean hasModel() {
    return embedder != null;
  }

  /** Returns whether {@link #countTokens} counts with the model's own tokenizer. */
  public boolean hasTokenizer() {
    return embedder instanceof BundledEmbedder;
  }

  /**
   * Returns the tokens of a text by the model's own tokenizer, without embedding it, or -1 when the
   * model's tokenizer is not known here (no model, or one of the caller's own).
   */
  public int countTokens(String text) {
    return embedder instanceof BundledEmbedder bundled ? bundled.countTokens(text) : -1;
  }

  public String modelId() {
    return embedder == null ? null : embedder.modelId();
  }

  /**
   * The similarity below which a semantic hit is noise for this model (DESIGN.md's measurements).
   */
  public double defaultMinSimilarity() {
    if (embedder == null) {
      return 0;
    }
    return switch (embedder.modelId()) {
      case "all-minilm-l6-v2-q" -> 0.2;
      case "bge-small-en-v1.5-q" -> 0.55;
      default -> 0;
    };
  }

  /** Embeds a search query; on failure or an open breaker, says why instead of throwing. */
  public Outcome embedQuery(String text) {
    if (embedder == null) {
      return new Outcome(null, "the store has no embedding model; keyword results only");
    }
    if (movedTo != null) {
      return new Outcome(null, movedProblem() + "; keyword results only");
    }
    List<float[]> vectors = embedAll(List.of(text));
    return vectors == null
        ? new Outcome(
            null, "the embedding model is unavailable (" + describe() + "); keyword results only")
        : new Outcome(vectors.get(0), null);
  }

  /**
   * Embeds texts in one call, or returns null when the model is unavailable (no model, breaker
   * open, or the call failed): the caller stores without vectors and the backlog catches up.
   */
  public List<float[]> embedAll(List<String> texts) {
    if (embedder == null || texts.isEmpty() || movedTo != null || !admit()) {
      return null;
    }
    try {
      List<float[]> vectors = new ArrayList<>(embedder.embedAll(texts));
      if (vectors.size() != texts.size()) {
        throw new IllegalStateException(
            "the embedder returned " + vectors.size() + " vectors for " + texts.size() + " texts");
      }
      for (float[] vector : vectors) {
        checkVector(vector, dimension);
      }
      succeeded();
      return vectors;
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError virtualMachineError) {
        throw virtualMachineError;
      }
      failed(e);
      return null;
    }
  }

  /**
   * Notes that another process moved the file's vectors to another model (memctl reembed): from now
   * on this store computes no vectors, since they would be of the old model. Its writes are stored
   * without vectors, for a process with the file's model to embed, and its searches use keywords,
   * until it is opened again.
   */
  public void modelMoved(String fileModel) {
    if (movedTo == null) {
      movedTo = fileModel;
      LOG.log(Level.WARNING, movedProblem());
    }
  }

  /** Returns the model the file moved to while this store was open, or null. */
  public String movedTo() {
    return movedTo;
  }

  public String movedProblem() {
    return "another process moved this file's vectors from model "
        + modelId()
        + " to "
        + movedTo
        + "; this store stores new memories without vectors until it is opened again with "
        + movedTo;
  }

  private static final Pattern LIBRARY =
      Pattern.compile("[\\w.+-]+\\.(?:so|dylib|dll)(?:\\.[0-9.]+)?\\b");

  /**
   * Says why the model failed in words for the user: the store's own message, or which native
   * library did not load, without Java class names.
   */
  static String reason(Throwable failure) {
    if (failure instanceof MemoryStoreException) {
      return failure.getMessage();
    }
    boolean linkage = false;
    String library = null;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      linkage |= cause instanceof LinkageError;
      if (library == null && cause.getMessage() != null) {
        Matcher matcher = LIBRARY.matcher(cause.getMessage());
        library = matcher.find() ? matcher.group() : null;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    if (linkage) {
      return "a native library of the embedding model "
          + (library == null ? "" : "(" + library + ") ")
          + "could not be loaded on this system";
    }
    return failure.getMessage() == null
        ? "the embedding model failed without a message"
        : failure.getMessage();
  }

  private synchronized boolean admit() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (clock.instant().isBefore(openedAt.plus(COOL_DOWN))) {
          return false;
        }
        state = CircuitBreakerStatus.State.HALF_OPEN;
        trialInFlight = true;
        return true;
      case HALF_OPEN:
      default:
        if (trialInFlight) {
          return false;
        }
        trialInFlight = true;
        return true;
    }
  }

  private synchronized void succeeded() {
    state = CircuitBreakerStatus.State.CLOSED;
    consecutiveFailures = 0;
    trialInFlight = false;
  }

  private synchronized void failed(Throwable e) {
    consecutiveFailures++;
    lastError = reason(e);
    trialInFlight = false;
    if (state == CircuitBreakerStatus.State.HALF_OPEN || consecutiveFailures >= FAILURE_THRESHOLD) {
      if (state != CircuitBreakerStatus.State.OPEN) {
        LOG.log(
            Level.WARNING,
            "embedding model failing; pausing it for " + COOL_DOWN.toSeconds() + " s",
            e);
      }
      state = CircuitBreakerStatus.State.OPEN;
      openedAt = clock.instant();
    }
  }

  private synchronized String describe() {
    return state == CircuitBreakerStatus.State.OPEN
        ? "circuit open after " + consecutiveFailures + " failures: " + lastError
        : "last failure: " + lastError;
  }

  /** Returns why the last call failed, or null when it succeeded or none was made. */
  public synchronized String lastFailure() {
    return consecutiveFailures == 0 ? null : lastError;
  }

  /** Returns when the breaker lets the next call through, or now when it is not open. */
  public synchronized Instant nextAttempt() {
    return state == CircuitBreakerStatus.State.OPEN ? openedAt.plus(COOL_DOWN) : clock.instant();
  }

  public synchronized CircuitBreakerStatus status() {
    return new CircuitBreakerStatus(
        state,
        consecutiveFailures,
        FAILURE_THRESHOLD,
        COOL_DOWN,
        state == CircuitBreakerStatus.State.OPEN ? openedAt : null,
        state == CircuitBreakerStatus.State.OPEN ? openedAt.plus(COOL_DOWN) : null,
        lastError);
  }

  public synchronized void reset() {
    state = CircuitBreakerStatus.State.CLOSED;
    consecutiveFailures = 0;
    openedAt = null;
    trialInFlight = false;
  }

  /** Checks that a vector has the store's dimension and only finite values. */
  public static void checkVector(float[] embedding, int dimension) {
    if (embedding.length != dimension) {
      throw new ValidationException(
          "embedding",
          "embedding has "
              + embedding.length
              + " dimensions, the store's vectors have "
              + dimension);
    }
    for (float value : embedding) {
      if (!Float.isFinite(value)) {
        throw new ValidationException("embedding", "embedding values must be finite numbers");
      }
    }
  }
}
