package dev.memstore;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a store's contents and file. Immutable and thread-safe; two snapshots are equal
 * when all their figures are.
 *
 * <p>Snapshots come from {@link StoreFile#stats()}. {@link #builder()} serves memstore's own
 * packages and test doubles; a class rather than a record, so that a new figure breaks no caller.
 */
public final class StoreStats {
  private final long totalMemories;
  private final long expiredMemories;
  private final Map<MemoryType, Long> memoriesByType;
  private final Map<MemoryTier, Long> memoriesByTier;
  private final double averageImportance;
  private final long sessions;
  private final long activeSessions;
  private final long relationships;
  private final long contextGroups;
  private final long embeddedMemories;
  private final String embeddingModel;
  private final int embeddingDimension;
  private final String sqliteVecVersion;
  private final int schemaVersion;
  private final long fileSizeBytes;
  private final long walSizeBytes;
  private final long freePages;
  private final long pageSize;
  private final Map<String, Long> memoriesBySession;
  private final long pinnedMemories;
  private final long archivedMemories;
  private final long cachedMemories;
  private final long cacheHits;
  private final long cacheMisses;
  private final long searches;
  private final double averageSearchScore;
  private final double searchP50Millis;
  private final double searchP95Millis;
  private final long droppedEvents;
  private final Map<String, Object> lastMaintenance;
  private final String degradedReason;

  private StoreStats(Builder builder) {
    memoriesByType = Map.copyOf(builder.memoriesByType);
    memoriesByTier = Map.copyOf(builder.memoriesByTier);
    memoriesBySession = Map.copyOf(builder.memoriesBySession);
    lastMaintenance = JsonValues.freezeObject(builder.lastMaintenance);
    totalMemories = builder.totalMemories;
    expiredMemories = builder.expiredMemories;
    averageImportance = builder.averageImportance;
    sessions = builder.sessions;
    activeSessions = builder.activeSessions;
    relationships = builder.relationships;
    contextGroups = builder.contextGroups;
    embeddedMemories = builder.embeddedMemories;
    embeddingModel = builder.embeddingModel;
    embeddingDimension = builder.embeddingDimension;
    sqliteVecVersion = builder.sqliteVecVersion;
    schemaVersion = builder.schemaVersion;
    fileSizeBytes = builder.fileSizeBytes;
    walSizeBytes = builder.walSizeBytes;
    freePages = builder.freePages;
    pageSize = builder.pageSize;
    pinnedMemories = builder.pinnedMemories;
    archivedMemories = builder.archivedMemories;
    cachedMemories = builder.cachedMemories;
    cacheHits = builder.cacheHits;
    cacheMisses = builder.cacheMisses;
    searches = builder.searches;
    averageSearchScore = builder.averageSearchScore;
    searchP50Millis = builder.searchP50Millis;
    searchP95Millis = builder.searchP95Millis;
    droppedEvents = builder.droppedEvents;
    degradedReason = builder.degradedReason;
  }

  /** Returns a builder with every figure zero, null or empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the number of live memories (not expired). */
  public long totalMemories() {
    return totalMemories;
  }

  /** Returns the number of memories past their expiry that have not been pruned yet. */
  public long expiredMemories() {
    return expiredMemories;
  }

  /** Returns the number of live memories per type. */
  public Map<MemoryType, Long> memoriesByType() {
    return memoriesByType;
  }

  /** Returns the number of live memories per tier. */
  public Map<MemoryTier, Long> memoriesByTier() {
    return memoriesByTier;
  }

  /** Returns the mean importance of live memories, 0 when there are none. */
  public double averageImportance() {
    return averageImportance;
  }

  /** Returns the number of sessions, ended or not. */
  public long sessions() {
    return sessions;
  }

  /** Returns the number of sessions that have not ended. */
  public long activeSessions() {
    return activeSessions;
  }

  /** Returns the number of links between memories. */
  public long relationships() {
    return relationships;
  }

  /** Returns the number of context groups. */
  public long contextGroups() {
    return contextGroups;
  }

  /** Returns the number of memories that have an embedding. */
  public long embeddedMemories() {
    return embeddedMemories;
  }

  /**
   * Returns the embedding model the file's vectors come from, or null before the first embedding.
   */
  public String embeddingModel() {
    return embeddingModel;
  }

  /** Returns the dimension of the file's vectors. */
  public int embeddingDimension() {
    return embeddingDimension;
  }

  /** Returns the loaded sqlite-vec version, or null when it is not loaded. */
  public String sqliteVecVersion() {
    return sqliteVecVersion;
  }

  /** Returns the file's schema version. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** Returns the size of the database file in bytes. */
  public long fileSizeBytes() {
    return fileSizeBytes;
  }

  /** Returns the size of its write-ahead log in bytes (0 after a checkpoint). */
  public long walSizeBytes() {
    return walSizeBytes;
  }

  /** Returns the number of pages in the file that hold no data. */
  public long freePages() {
    return freePages;
  }

  /** Returns the file's page size in bytes. */
  public long pageSize() {
    return pageSize;
  }

  /**
   * Returns the number of live memories per session id (memories without a session are not counted
   * here).
   */
  public Map<String, Long> memoriesBySession() {
    return memoriesBySession;
  }

  /** Returns the number of live pinned memories. */
  public long pinnedMemories() {
    return pinnedMemories;
  }

  /** Returns the number of live archived memories (also counted in the other totals). */
  public long archivedMemories() {
    return archivedMemories;
  }

  /** Returns the number of memories in this process's cache now. */
  public long cachedMemories() {
    return cachedMemories;
  }

  /** Returns the number of reads by id this process answered from its cache. */
  public long cacheHits() {
    return cacheHits;
  }

  /** Returns the number of reads by id this process answered from the file. */
  public long cacheMisses() {
    return cacheMisses;
  }

  /** Returns the number of searches this process ran. */
  public long searches() {
    return searches;
  }

  /** Returns the mean score of the hits of those searches, 0 without hits. */
  public double averageSearchScore() {
    return averageSearchScore;
  }

  /** Returns the median latency of this process's last 1,024 searches. */
  public double searchP50Millis() {
    return searchP50Millis;
  }

  /** Returns the 95th percentile latency of those searches. */
  public double searchP95Millis() {
    return searchP95Millis;
  }

  /** Returns the number of events this process dropped because listeners fell behind. */
  public long droppedEvents() {
    return droppedEvents;
  }

  /**
   * Returns the counts of the last maintenance run on this file by any process, by wire name, or
   * empty if none ran.
   */
  public Map<String, Object> lastMaintenance() {
    return lastMaintenance;
  }

  /**
   * Returns why a process last stored memories without vectors because its embedding model failed
   * (for example a native library that does not load on this system), or null when none did since
   * the memories were last embedded.
   */
  public String degradedReason() {
    return degradedReason;
  }

  /** Returns the share of reads by id answered from the cache, 0 before the first. */
  public double cacheHitRate() {
    long reads = cacheHits + cacheMisses;
    return reads == 0 ? 0 : (double) cacheHits / reads;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof StoreStats that
        && totalMemories == that.totalMemories
        && expiredMemories == that.expiredMemories
        && Objects.equals(memoriesByType, that.memoriesByType)
        && Objects.equals(memoriesByTier, that.memoriesByTier)
        && Double.compare(averageImportance, that.averageImportance) == 0
        && sessions == that.sessions
        && activeSessions == that.activeSessions
        && relationships == that.relationships
        && contextGroups == that.contextGroups
        && embeddedMemories == that.embeddedMemories
        && Objects.equals(embeddingModel, that.embeddingModel)
        && embeddingDimension == that.embeddingDimension
        && Objects.equals(sqliteVecVersion, that.sqliteVecVersion)
        && schemaVersion == that.schemaVersion
        && fileSizeBytes == that.fileSizeBytes
        && walSizeBytes == that.walSizeBytes
        && freePages == that.freePages
        && pageSize == that.pageSize
        && Objects.equals(memoriesBySession, that.memoriesBySession)
        && pinnedMemories == that.pinnedMemories
        && archivedMemories == that.archivedMemories
        && cachedMemories == that.cachedMemories
        && cacheHits == that.cacheHits
        && cacheMisses == that.cacheMisses
        && searches == that.searches
        && Double.compare(averageSearchScore, that.averageSearchScore) == 0
        && Double.compare(searchP50Millis, that.searchP50Millis) == 0
        && Double.compare(searchP95Millis, that.searchP95Millis) == 0
        && droppedEvents == that.droppedEvents
        && Objects.equals(lastMaintenance, that.lastMaintenance)
        && Objects.equals(degradedReason, that.degradedReason);
  }

  @Override
  public int hashCode() {
    int result = 0;
    result = 31 * result + Long.hashCode(totalMemories);
    result = 31 * result + Long.hashCode(expiredMemories);
    result = 31 * result + Objects.hashCode(memoriesByType);
    result = 31 * result + Objects.hashCode(memoriesByTier);
    result = 31 * result + Double.hashCode(averageImportance);
    result = 31 * result + Long.hashCode(sessions);
    result = 31 * result + Long.hashCode(activeSessions);
    result = 31 * result + Long.hashCode(relationships);
    result = 31 * result + Long.hashCode(contextGroups);
    result = 31 * result + Long.hashCode(embeddedMemories);
    result = 31 * result + Objects.hashCode(embeddingModel);
    result = 31 * result + Integer.hashCode(embeddingDimension);
    result = 31 * result + Objects.hashCode(sqliteVecVersion);
    result = 31 * result + Integer.hashCode(schemaVersion);
    result = 31 * result + Long.hashCode(fileSizeBytes);
    result = 31 * result + Long.hashCode(walSizeBytes);
    result = 31 * result + Long.hashCode(freePages);
    result = 31 * result + Long.hashCode(pageSize);
    result = 31 * result + Objects.hashCode(memoriesBySession);
    result = 31 * result + Long.hashCode(pinnedMemories);
    result = 31 * result + Long.hashCode(archivedMemories);
    result = 31 * result + Long.hashCode(cachedMemories);
    result = 31 * result + Long.hashCode(cacheHits);
    result = 31 * result + Long.hashCode(cacheMisses);
    result = 31 * result + Long.hashCode(searches);
    result = 31 * result + Double.hashCode(averageSearchScore);
    result = 31 * result + Double.hashCode(searchP50Millis);
    result = 31 * result + Double.hashCode(searchP95Millis);
    result = 31 * result + Long.hashCode(droppedEvents);
    result = 31 * result + Objects.hashCode(lastMaintenance);
    result = 31 * result + Objects.hashCode(degradedReason);
    return result;
  }

  @Override
  public String toString() {
    return "StoreStats["
        + "totalMemories="
        + totalMemories
        + ", expiredMemories="
        + expiredMemories
        + ", memoriesByType="
        + memoriesByType
        + ", memoriesByTier="
        + memoriesByTier
        + ", averageImportance="
        + averageImportance
        + ", sessions="
        + sessions
        + ", activeSessions="
        + activeSessions
        + ", relationships="
        + relationships
        + ", contextGroups="
        + contextGroups
        + ", embeddedMemories="
        + embeddedMemories
        + ", embeddingModel="
        + embeddingModel
        + ", embeddingDimension="
        + embeddingDimension
        + ", sqliteVecVersion="
        + sqliteVecVersion
        + ", schemaVersion="
        + schemaVersion
        + ", fileSizeBytes="
        + fileSizeBytes
        + ", walSizeBytes="
        + walSizeBytes
        + ", freePages="
        + freePages
        + ", pageSize="
        + pageSize
        + ", memoriesBySession="
        + memoriesBySession
        + ", pinnedMemories="
        + pinnedMemories
        + ", archivedMemories="
        + archivedMemories
        + ", cachedMemories="
        + cachedMemories
        + ", cacheHits="
        + cacheHits
        + ", cacheMisses="
        + cacheMisses
        + ", searches="
        + searches
        + ", averageSearchScore="
        + averageSearchScore
        + ", searchP50Millis="
        + searchP50Millis
        + ", searchP95Millis="
        + searchP95Millis
        + ", droppedEvents="
        + droppedEvents
        + ", lastMaintenance="
        + lastMaintenance
        + ", degradedReason="
        + degradedReason
        + "]";
  }

  /**
   * Builds a {@link StoreStats}. Not thread-safe. Snapshots come from {@link StoreFile#stats()}:
   * this serves memstore's own packages and test doubles.
   */
  public static final class Builder {
    private long totalMemories;
    private long expiredMemories;
    private Map<MemoryType, Long> memoriesByType = Map.of();
    private Map<MemoryTier, Long> memoriesByTier = Map.of();
    private double averageImportance;
    private long sessions;
    private long activeSessions;
    private long relationships;
    private long contextGroups;
    private long embeddedMemories;
    private String embeddingModel;
    private int embeddingDimension;
    private String sqliteVecVersion;
    private int schemaVersion;
    private long fileSizeBytes;
    private long walSizeBytes;
    private long freePages;
    private long pageSize;
    private Map<String, Long> memoriesBySession = Map.of();
    private long pinnedMemories;
    private long archivedMemories;
    private long cachedMemories;
    private long cacheHits;
    private long cacheMisses;
    private long searches;
    private double averageSearchScore;
    private double searchP50Millis;
    private double searchP95Millis;
    private long droppedEvents;
    private Map<String, ?> lastMaintenance = Map.of();
    private String degradedReason;

    private Builder() {}

    /** Sets the value of {@link StoreStats#totalMemories()}. */
    public Builder totalMemories(long totalMemories) {
      this.totalMemories = totalMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#expiredMemories()}. */
    public Builder expiredMemories(long expiredMemories) {
      this.expiredMemories = expiredMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#memoriesByType()}. */
    public Builder memoriesByType(Map<MemoryType, Long> memoriesByType) {
      this.memoriesByType = memoriesByType;
      return this;
    }

    /** Sets the value of {@link StoreStats#memoriesByTier()}. */
    public Builder memoriesByTier(Map<MemoryTier, Long> memoriesByTier) {
      this.memoriesByTier = memoriesByTier;
      return this;
    }

    /** Sets the value of {@link StoreStats#averageImportance()}. */
    public Builder averageImportance(double averageImportance) {
      this.averageImportance = averageImportance;
      return this;
    }

    /** Sets the value of {@link StoreStats#sessions()}. */
    public Builder sessions(long sessions) {
      this.sessions = sessions;
      return this;
    }

    /** Sets the value of {@link StoreStats#activeSessions()}. */
    public Builder activeSessions(long activeSessions) {
      this.activeSessions = activeSessions;
      return this;
    }

    /** Sets the value of {@link StoreStats#relationships()}. */
    public Builder relationships(long relationships) {
      this.relationships = relationships;
      return this;
    }

    /** Sets the value of {@link StoreStats#contextGroups()}. */
    public Builder contextGroups(long contextGroups) {
      this.contextGroups = contextGroups;
      return this;
    }

    /** Sets the value of {@link StoreStats#embeddedMemories()}. */
    public Builder embeddedMemories(long embeddedMemories) {
      this.embeddedMemories = embeddedMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#embeddingModel()}. */
    public Builder embeddingModel(String embeddingModel) {
      this.embeddingModel = embeddingModel;
      return this;
    }

    /** Sets the value of {@link StoreStats#embeddingDimension()}. */
    public Builder embeddingDimension(int embeddingDimension) {
      this.embeddingDimension = embeddingDimension;
      return this;
    }

    /** Sets the value of {@link StoreStats#sqliteVecVersion()}. */
    public Builder sqliteVecVersion(String sqliteVecVersion) {
      this.sqliteVecVersion = sqliteVecVersion;
      return this;
    }

    /** Sets the value of {@link StoreStats#schemaVersion()}. */
    public Builder schemaVersion(int schemaVersion) {
      this.schemaVersion = schemaVersion;
      return this;
    }

    /** Sets the value of {@link StoreStats#fileSizeBytes()}. */
    public Builder fileSizeBytes(long fileSizeBytes) {
      this.fileSizeBytes = fileSizeBytes;
      return this;
    }

    /** Sets the value of {@link StoreStats#walSizeBytes()}. */
    public Builder walSizeBytes(long walSizeBytes) {
      this.walSizeBytes = walSizeBytes;
      return this;
    }

    /** Sets the value of {@link StoreStats#freePages()}. */
    public Builder freePages(long freePages) {
      this.freePages = freePages;
      return this;
    }

    /** Sets the value of {@link StoreStats#pageSize()}. */
    public Builder pageSize(long pageSize) {
      this.pageSize = pageSize;
      return this;
    }

    /** Sets the value of {@link StoreStats#memoriesBySession()}. */
    public Builder memoriesBySession(Map<String, Long> memoriesBySession) {
      this.memoriesBySession = memoriesBySession;
      return this;
    }

    /** Sets the value of {@link StoreStats#pinnedMemories()}. */
    public Builder pinnedMemories(long pinnedMemories) {
      this.pinnedMemories = pinnedMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#archivedMemories()}. */
    public Builder archivedMemories(long archivedMemories) {
      this.archivedMemories = archivedMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#cachedMemories()}. */
    public Builder cachedMemories(long cachedMemories) {
      this.cachedMemories = cachedMemories;
      return this;
    }

    /** Sets the value of {@link StoreStats#cacheHits()}. */
    public Builder cacheHits(long cacheHits) {
      this.cacheHits = cacheHits;
      return this;
    }

    /** Sets the value of {@link StoreStats#cacheMisses()}. */
    public Builder cacheMisses(long cacheMisses) {
      this.cacheMisses = cacheMisses;
      return this;
    }

    /** Sets the value of {@link StoreStats#searches()}. */
    public Builder searches(long searches) {
      this.searches = searches;
      return this;
    }

    /** Sets the value of {@link StoreStats#averageSearchScore()}. */
    public Builder averageSearchScore(double averageSearchScore) {
      this.averageSearchScore = averageSearchScore;
      return this;
    }

    /** Sets the value of {@link StoreStats#searchP50Millis()}. */
    public Builder searchP50Millis(double searchP50Millis) {
      this.searchP50Millis = searchP50Millis;
      return this;
    }

    /** Sets the value of {@link StoreStats#searchP95Millis()}. */
    public Builder searchP95Millis(double searchP95Millis) {
      this.searchP95Millis = searchP95Millis;
      return this;
    }

    /** Sets the value of {@link StoreStats#droppedEvents()}. */
    public Builder droppedEvents(long droppedEvents) {
      this.droppedEvents = droppedEvents;
      return this;
    }

    /** Sets the value of {@link StoreStats#lastMaintenance()}. */
    public Builder lastMaintenance(Map<String, ?> lastMaintenance) {
      this.lastMaintenance = lastMaintenance;
      return this;
    }

    /** Sets the value of {@link StoreStats#degradedReason()}. */
    public Builder degradedReason(String degradedReason) {
      this.degradedReason = degradedReason;
      return this;
    }

    /**
     * Returns the snapshot.
     *
     * @throws IllegalArgumentException if the last maintenance counts are not a JSON object
     */
    public StoreStats build() {
      return new StoreStats(this);
    }
  }
}
