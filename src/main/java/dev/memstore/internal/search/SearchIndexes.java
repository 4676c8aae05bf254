package dev.memstore.internal.search;

import dev.memstore.MemoryFilter;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory indexes a search reads, and their upkeep: the {@link VectorIndex} and the {@link
 * KeywordIndex}, built, loaded and brought up to date from the change log here, and nowhere else.
 * Builds them on the store's {@link Background}. Thread-safe.
 *
 * <p>The vector index is built from the embeddings table in the background, a second after a
 * writable store opens or after a search (so commands that never search never pay for it); until
 * then {@link VectorScan} answers from the file. Before every search it is brought up to date from
 * the change log, which every process appends to in the same transaction as its change: writes by
 * this process and by others (memctl, a second assistant) are both seen.
 */
public final class SearchIndexes {
  private static final System.Logger LOG = System.getLogger(SearchIndexes.class.getName());

  private final Database database;
  private final Background background;
  private final VectorIndex index;
  private final Object refreshLock = new Object();
  private volatile boolean built;
  private long lastChange;

  /**
   * The keyword index, loaded in the background after a search once the vector index is built, and
   * null until then: keyword searches go to FTS5 meanwhile. Kept up to date by {@link #refresh}
   * with the vector index.
   */
  private volatile KeywordIndex keywords;

  /** Whether the keyword index is loaded at all; tests compare searches with and without it. */
  private volatile boolean keywordIndexEnabled = true;

  /** Whether a search or opening starts the vector index build; tests turn it off. */
  private volatile boolean vectorIndexBuiltInBackground = true;

  private final AtomicBoolean keywordLoading = new AtomicBoolean();

  public SearchIndexes(Database database, Background background, int dimension) {
    this.database = database;
    this.background = background;
    this.index = new VectorIndex(dimension, background.vectorSearch());
  }

  /**
   * The store's helper threads: the keyword side of a hybrid search, the upper half of a scan of
   * the file, and the second reader of an index build.
   */
  ExecutorService helpers() {
    return background.search();
  }

  /** The vector index, which a reader must bring up to date with {@link #refresh} first. */
  VectorIndex vectorIndex() {
    return index;
  }

  int dimension() {
    return index.dimension();
  }

  /** Whether this process has built its vector index. */
  boolean built() {
    return built;
  }

  /** Returns the memories nearest a vector among those the filter selects, best first. */
  List<Scored> nearest(float[] vector, MemoryFilter filter, long now, int k) {
    refresh();
    return index.search(vector, filter, now, k);
  }

  /** Returns each memory's cosine similarity to the vector, NaN for one the index lacks. */
  double[] similarities(float[] vector, long[] seqs) {
    refresh();
    return index.similarities(vector, seqs);
  }

  /**
   * The keyword index once both indexes are current, or null while the vector index is not built or
   * the keyword index not loaded: FTS5 answers then.
   */
  KeywordIndex currentKeywords() {
    if (!built) {
      return null;
    }
    refresh();
    return keywords;
  }

  /**
   * Builds the index on a thread of its own unless a build is under way; once this process has
   * searched, then loads the keyword index too (a store that is never searched never pays for it).
   */
  void buildInBackground() {
    if (!vectorIndexBuiltInBackground || !building.compareAndSet(false, true)) {
      return;
    }
    background.runLong(
        "index-build",
        () -> {
          try {
            refresh();
            // Whichever build a search finds running (the one that opening started, say) loads
            // the keyword index after it: the search's own build then finds nothing to do.
            if (searched) {
              loadKeywordsLater(KEYWORD_LOAD_DELAY);
            }
          } catch (RuntimeException e) {
            // The search's own refresh builds the index again and reports the failure; a store
            // closed during the build ends up here too.
            LOG.log(Level.DEBUG, "building the vector index in the background failed", e);
          } finally {
            building.set(false);
          }
        });
  }

  /**
   * Called at the end of every search: starts the build a search that scanned the file defers, and
   * the keyword index load.
   */
  void searched(boolean scanned) {
    if (scanned) {
      // Not sooner: on two cores, building while the model loads slowed both. Not at once either:
      // a process that searches once (memctl search) closes before then without waiting for it.
      background.runLater("index-build", this::buildInBackground, BUILD_DELAY);
    }
    searched = true;
    loadKeywordsLater(KEYWORD_LOAD_DELAY);
  }

  /**
   * Whether this process has searched: only then does a build load the keyword index. Set before
   * the search looks at {@link #built}, which a build sets before it reads this, so that one of the
   * two starts the load.
   */
  private volatile boolean searched;

  private final AtomicBoolean building = new AtomicBoolean();

  /**
   * Starts building the index in the background {@link #BUILD_DELAY} after open when the file has
   * embeddings, so that a store opened ahead of its first search has the index ready for it. Not at
   * once: a search right after open (in a new process it loads the model) is answered by scanning
   * the file sooner without a build beside it on two cores (1.4 s against 1.8 s from open, at 100k
   * memories). A store closed before the build ends stops it between chunks. The model is not
   * loaded here: a process that exits while onnxruntime creates a session on another thread crashed
   * in onnxruntime's native code.
   */
  public void warmUp() {
    // Decided at open: a file that gets its first embeddings now is being filled, and building
    // beside the writes would slow them and then catch up with every one of them.
    boolean hasEmbeddings =
        database.read(
            connection ->
                Sql.queryLong(connection, "select exists (select 1 from memory_embeddings)") > 0);
    if (hasEmbeddings) {
      background.runLater(
          "index-build",
          () -> {
            // A search that is running starts the build when it ends.
            if (!built && !scanning()) {
              buildInBackground();
            }
          },
          BUILD_DELAY);
    }
  }

  /** How long after open, or after a search that scanned the file, the index build starts. */
  private static final Duration BUILD_DELAY = Duration.ofSeconds(1);

  /** Brings the index up to date with the change log; builds it on first use. */
  void refresh() {
    synchronized (refreshLock) {
      if (!built) {
        build();
      }
      database.read(
          connection -> {
            long newest = MemoryQueries.newestChange(connection);
            if (newest == lastChange) {
              return null;
            }
            long oldest = MemoryQueries.oldestChange(connection);
            if (oldest > lastChange + 1) {
              // The log was trimmed past what the indexes have seen: start again.
              built = false;
              keywords = null;
              return null;
            }
            MemoryQueries.Changes changes = MemoryQueries.changes(connection, lastChange, newest);
            List<Long> changed = changes.changed();
            takeAccessTimes(connection, changes.accessedOnly());
            IndexBatch present = IndexRows.of(connection, index.dimension(), changed);
            Set<Long> presentSeqs = new HashSet<>();
            for (int row = 0; row < present.size(); row++) {
              presentSeqs.add(present.seq(row));
            }
            index.removeAll(changed.stream().filter(seq -> !presentSeqs.contains(seq)).toList());
            index.upsertAll(present);
            KeywordIndex keywordIndex = keywords;
            if (keywordIndex != null && changed.size() > KEYWORD_RELOAD_CHANGES) {
              // After a large import, reading FTS5's index again is cheaper than splitting every
              // new text into terms; FTS5 answers keyword searches meanwhile.
              keywords = null;
            } else if (keywordIndex != null) {
              FullTextTerms.update(connection, keywordIndex, changed);
            }
            lastChange = newest;
            return null;
          });
      if (!built) {
        refresh();
      }
    }
  }

  /** Gives the index the new last access times of memories whose only changes were accesses. */
  private void takeAccessTimes(Connection connection, List<Long> accessed) {
    List<MemoryQueries.Accesses> accesses = MemoryQueries.accesses(connection, accessed);
    index.accessed(
        accesses.stream().mapToLong(MemoryQueries.Accesses::seq).toArray(),
        accesses.stream()
            .mapToLong(
                access ->
                    access.lastAccessedAt() == null ? 0 : access.lastAccessedAt().toEpochMilli())
            .toArray());
  }

  /** How many changed memories at once make the keyword index load again instead of catching up. */
  private static final int KEYWORD_RELOAD_CHANGES = 10_000;

  /**
   * How long after a search the keyword index starts loading: the load reads every term instance of
   * the full-text table (seconds of CPU at 100k memories), which would compete with a new process's
   * first searches for the cores they need to build the vector index and load the model, and a
   * process that searches once and closes (memctl search) should not pay for it at all.
   */
  private static final Duration KEYWORD_LOAD_DELAY = Duration.ofSeconds(1);

  /** Starts loading the keyword index after the delay unless it is loaded or loading. */
  private void loadKeywordsLater(Duration delay) {
    if (built
        && keywords == null
        && keywordIndexEnabled
        && keywordLoading.compareAndSet(false, true)) {
      background.runLater(
          "keyword-index",
          () -> background.runLong("keyword-index", this::loadKeywordsSafely),
          delay);
    }
  }

  private void loadKeywordsSafely() {
    try {
      loadKeywords();
    } catch (RuntimeException e) {
      // Keyword searches keep going to FTS5; a store closed during the load ends up here.
      LOG.log(Level.DEBUG, "loading the keyword index failed", e);
    } finally {
      keywordLoading.set(false);
    }
  }

  /**
   * Loads the keyword index from the full-text table, catches it up with the changes committed
   * meanwhile and hands it to searches. Runs in the background after a search, once the vector
   * index is built: at 100k memories it reads about two million term instances.
   */
  private void loadKeywords() {
    // A load races only with a trim of the change log past its start (100,000 changes later).
    for (int attempt = 0; attempt < 3 && keywords == null && built; attempt++) {
      loadKeywordsOnce();
    }
  }

  private void loadKeywordsOnce() {
    long start = System.nanoTime();
    KeywordIndex loaded = new KeywordIndex();
    long position = database.read(connection -> MemoryQueries.newestChange(connection));
    FullTextTerms.load(database, loaded);
    synchronized (refreshLock) {
      if (!built || !keywordIndexEnabled) {
        return; // the indexes start again, and that build loads the keywords again
      }
      boolean current =
          database.read(
              connection -> {
                long oldest = MemoryQueries.oldestChange(connection);
                if (oldest > position + 1) {
                  return false;
                }
                FullTextTerms.update(
                    connection,
                    loaded,
                    MemoryQueries.changes(connection, position, lastChange).changed());
                return true;
              });
      if (current) {
        keywords = loaded;
      }
    }
    LOG.log(
        Level.DEBUG,
        () ->
            "loaded the keyword index of "
                + loaded.size()
                + " memories in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
  }

  /**
   * Builds the vector index only when something other than a search needs it, so that searches keep
   * scanning the file through sqlite-vec; for tests.
   */
  void buildVectorIndexOnlyWhenNeeded() {
    vectorIndexBuiltInBackground = false;
  }

  /** Drops the keyword index and loads no other, so that FTS5 answers; for tests. */
  void disableKeywordIndex() {
    synchronized (refreshLock) {
      keywordIndexEnabled = false;
      keywords = null;
    }
  }

  /** The keyword index if it is loaded, without bringing it up to date; for tests. */
  KeywordIndex loadedKeywordIndex() {
    return keywords;
  }

  /**
   * Called by the index build between chunks: waits while searches that scan the file run, for
   * {@link #BUILD_PAUSE} at most per chunk. On two cores a new process's first search loads the
   * model, which took 1.3 s instead of 0.7 s with a build beside it.
   */
  private void yieldToScans() {
    long deadline = System.nanoTime() + BUILD_PAUSE.toNanos();
    synchronized (scansLock) {
      long left;
      while (scansRunning > 0 && (left = deadline - System.nanoTime()) > 0) {
        try {
          scansLock.wait(left / 1_000_000 + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * The longest the build waits for scanning searches before each chunk, so that a stream of them
   * does not keep the index from ever being built.
   */
  private static final Duration BUILD_PAUSE = Duration.ofMillis(500);

  private final Object scansLock = new Object();
  private int scansRunning;

  private boolean scanning() {
    synchronized (scansLock) {
      return scansRunning > 0;
    }
  }

  /** Counts a search that scans the file ({@code +1}) or has ended ({@code -1}). */
  void scansChanged(int change) {
    synchronized (scansLock) {
      scansRunning += change;
      scansLock.notifyAll();
    }
  }

  /** Builds the vector index from the file; see {@link IndexRows#load}. */
  private void build() {
    long start = System.nanoTime();
    lastChange = IndexRows.load(database, index, helpers(), this::yieldToScans);
    built = true;
    LOG.log(
        Level.DEBUG,
        () ->
            "built the vector index of "
                + index.size()
                + " memories in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
  }
}
