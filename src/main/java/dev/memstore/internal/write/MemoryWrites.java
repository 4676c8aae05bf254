package dev.memstore.internal.write;

import dev.memstore.CreateResult;
import dev.memstore.HistoryEntry;
import dev.memstore.InternalErrorException;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.Session;
import dev.memstore.SessionNotFoundException;
import dev.memstore.Summarizer;
import dev.memstore.ValidationException;
import dev.memstore.internal.background.Background;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.ContentKeys;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.SessionQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.write.NewMemoryPreparation.Checked;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The write path: checks new memories and changes, embeds them outside of transactions, and
 * inserts, updates, reinforces and deletes memories with their history, change log and events. The
 * lifecycle operations write through it inside their own transactions. Thread-safe.
 */
public final class MemoryWrites {
  private static final System.Logger LOG = System.getLogger(MemoryWrites.class.getName());

  /**
   * How much an exact duplicate on create reinforces the memory it repeats (seed 002's default).
   */
  public static final double DUPLICATE_REINFORCEMENT = 1.2;

  private static final Duration SUMMARY_EMBEDDING_DELAY = Duration.ofMillis(200);

  /** The embedding model as writes see it, with the backlog of memories stored without vectors. */
  public interface Backlog {
    /** Returns the texts' vectors, or null when the model failed: the backlog embeds them later. */
    List<float[]> embedOrDefer(List<String> texts);

    /** Embeds every memory without a vector; returns how many it embedded. */
    int embedPending();
  }

  private final Database database;
  private final MemoryStoreConfig config;
  private final int dimension;
  private final VectorStorage vectors;
  private final Events events;
  private final Summarizer summarizer;
  private final Backlog backlog;
  private final NewMemoryPreparation preparation;
  private final Validator validator;
  private final SecretPolicy secrets;
  private final Ids ids = new Ids();
  private final AccessLog accessLog;
  private final Background background;

  public MemoryWrites(
      Database database,
      Background background,
      MemoryStoreConfig config,
      int dimension,
      VectorStorage vectors,
      Events events,
      Summarizer summarizer,
      Backlog backlog) {
    this.database = database;
    this.background = background;
    this.config = config;
    this.dimension = dimension;
    this.vectors = vectors;
    this.events = events;
    this.summarizer = summarizer;
    this.backlog = backlog;
    this.validator = new Validator(config.maxContentBytes(), config.sensitiveText());
    this.secrets = new SecretPolicy(validator, database.codec());
    this.preparation = new NewMemoryPreparation(validator, dimension, backlog::embedOrDefer);
    this.accessLog = new AccessLog(database, background);
  }

  public Validator validator() {
    return validator;
  }

  /** The store's id generator: memories and sessions share it, so ids sort in creation order. */
  public Ids ids() {
    return ids;
  }

  public AccessLog accessLog() {
    return accessLog;
  }

  /** The store's clock, to the millisecond the file keeps. */
  public Instant now() {
    return config.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Returns the text of a summary of the memories, oldest first, by the configured summarizer.
   * Sealed memories are left out: a summary is stored in clear (a session's summary too), so it
   * never quotes one; when all are sealed the text only counts them.
   */
  public String summaryText(List<Memory> memories) {
    List<Memory> clear = memories.stream().filter(memory -> !memory.sensitive()).toList();
    if (clear.isEmpty() && !memories.isEmpty()) {
      return memories.size() + (memories.size() == 1 ? " sealed memory." : " sealed memories.");
    }
    String text = summarizer.summarize(clear);
    if (text == null || text.isBlank()) {
      throw new InternalErrorException("the summarizer returned no text", null);
    }
    return validator.content("summary", text);
  }

  // Creating

  /** New memories that passed every check that needs no database, with their vectors. */
  public record Prepared(List<Checked> checked, List<float[]> vectors) {
    /** Of the memories at these indexes, the positions of those whose vector the caller gave. */
    BitSet given(List<Integer> indexes) {
      BitSet given = new BitSet(indexes.size());
      for (int position = 0; position < indexes.size(); position++) {
        given.set(position, checked.get(indexes.get(position)).vector() != null);
      }
      return given;
    }
  }

  /**
   * Stores a batch of new memories in one transaction: inserts them, or reinforces instead the live
   * memory (or earlier one of the batch) that one repeats exactly.
   */
  public List<CreateResult> create(List<NewMemory> memories) {
    Prepared prepared = prepare(secrets.apply(memories));
    Map<String, String> superseded = new HashMap<>();
    List<CreateResult> results =
        database.write(
            connection -> {
              superseded.clear(); // a retried transaction starts again
              return insertOrReinforce(connection, prepared, now(), superseded);
            });
    Instant now = now();
    superseded.forEach(
        (id, by) -> events.publish(MemoryEvent.Type.UPDATED, id, now, Map.of("superseded_by", by)));
    for (CreateResult result : results) {
      events.publish(
          result.duplicate() ? MemoryEvent.Type.REINFORCED : MemoryEvent.Type.STORED,
          result.memory().id(),
          now,
          result.duplicate() ? Map.of("duplicate", true) : Map.of());
    }
    return results;
  }

  private List<CreateResult> insertOrReinforce(
      Connection connection, Prepared prepared, Instant now, Map<String, String> superseded) {
    List<Memory> resolved = resolveAll(connection, prepared.checked(), now, false);
    // A sealed memory has no content key (see MemoryQueries): never a duplicate, never repeated.
    List<String> contentKeys =
        resolved.stream()
            .map(memory -> memory.sensitive() ? null : ContentKeys.of(memory))
            .toList();
    List<String> keys = new ArrayList<>(resolved.size());
    for (int index = 0; index < resolved.size(); index++) {
      boolean chosenId = prepared.checked().get(index).memory().id() != null; // never a duplicate
      keys.add(
          chosenId ? null : Facts.repeatKey(contentKeys.get(index), resolved.get(index).factKey()));
    }
    Map<String, String> existing = Facts.liveRepeats(connection, contentKeys, now.toEpochMilli());
    List<Integer> fresh = new ArrayList<>();
    Map<String, Integer> firstInBatch = new HashMap<>();
    Integer[] duplicateOfIndex = new Integer[resolved.size()];
    for (int index = 0; index < resolved.size(); index++) {
      String key = keys.get(index);
      if (key == null) {
        fresh.add(index);
        continue;
      }
      if (existing.containsKey(key)) {
        continue;
      }
      Integer first = firstInBatch.putIfAbsent(key, index);
      if (first != null) {
        duplicateOfIndex[index] = first;
      } else {
        fresh.add(index);
      }
    }
    List<Memory> placed =
        insertResolved(
            connection,
            fresh.stream().map(resolved::get).toList(),
            fresh.stream().map(contentKeys::get).toList(),
            fresh.stream().map(prepared.vectors()::get).toList(),
            prepared.given(fresh),
            now,
            superseded);
    for (int position = 0; position < fresh.size(); position++) {
      resolved.set(fresh.get(position), placed.get(position));
    }
    List<CreateResult> results = new ArrayList<>(resolved.size());
    for (int index = 0; index < resolved.size(); index++) {
      if (keys.get(index) == null
          || existing.get(keys.get(index)) == null && duplicateOfIndex[index] == null) {
        results.add(new CreateResult(resolved.get(index), false));
        continue;
      }
      String repeated =
          duplicateOfIndex[index] != null
              ? resolved.get(duplicateOfIndex[index]).id()
              : existing.get(keys.get(index));
      results.add(
          new CreateResult(
              reinforce(connection, repeated, DUPLICATE_REINFORCEMENT, now, "duplicate created"),
              true));
    }
    return results;
  }

  /** Checks new memories and embeds, outside any transaction, those without a vector. */
  public Prepared prepare(List<NewMemory> memories) {
    Objects.requireNonNull(memories, "memories");
    List<Checked> checked = new ArrayList<>(memories.size());
    for (int index = 0; index < memories.size(); index++) {
      try {
        checked.add(preparation.check(memories.get(index)));
      } catch (ValidationException e) {
        throw memories.size() == 1 ? e : Validator.inBatch(index, e);
      }
    }
    return new Prepared(checked, preparation.embedMissing(checked));
  }

  /**
   * Inserts prepared memories in the caller's transaction; a summary of a session may be written
   * after the session ended, nothing else.
   */
  public List<Memory> insert(
      Connection connection, Prepared prepared, Instant now, boolean allowEndedSession) {
    List<Memory> created = resolveAll(connection, prepared.checked(), now, allowEndedSession);
    return insertResolved(
        connection,
        created,
        created.stream().map(ContentKeys::of).toList(),
        prepared.vectors(),
        prepared.given(IntStream.range(0, created.size()).boxed().toList()),
        now,
        new HashMap<>());
  }

  /** Checks new memories against the database and gives them ids; writes nothing. */
  private List<Memory> resolveAll(
      Connection connection, List<Checked> checked, Instant now, boolean allowEndedSession) {
    Map<String, Session> sessions = new HashMap<>();
    Validator.requireFreeIds(connection, checked.stream().map(Checked::memory).toList());
    List<Memory> resolved = new ArrayList<>(checked.size());
    for (int index = 0; index < checked.size(); index++) {
      try {
        resolved.add(resolve(connection, checked.get(index), now, sessions, allowEndedSession));
      } catch (ValidationException e) {
        throw checked.size() == 1 ? e : Validator.inBatch(index, e);
      }
    }
    return resolved;
  }

  /** Inserts resolved memories; returns them as stored (a late older fact comes superseded). */
  private List<Memory> insertResolved(
      Connection connection,
      List<Memory> resolved,
      List<String> contentKeys,
      List<float[]> newVectors,
      BitSet givenVectors,
      Instant now,
      Map<String, String> superseded) {
    if (resolved.isEmpty()) {
      return resolved;
    }
    List<Memory> created = Facts.placeAll(connection, resolved, now, superseded);
    // One batch per table instead of a round of statements per memory: 3 to 4 times the
    // write rate (BENCHMARKS.md, speed).
    long firstSeq = MemoryQueries.nextSeq(connection);
    MemoryQueries.insertAll(connection, firstSeq, created, contentKeys);
    vectors.writeNew(connection, firstSeq, newVectors, givenVectors);
    HistoryQueries.addAll(
        connection, created.stream().map(Memory::id).toList(), HistoryEntry.Action.CREATED, now);
    return created;
  }

  /**
   * Checks a new memory against the database (its session and parent exist) and returns it as it
   * will be stored, with its new id.
   */
  private Memory resolve(
      Connection connection,
      Checked checked,
      Instant now,
      Map<String, Session> sessions,
      boolean allowEndedSession) {
    NewMemory memory = checked.memory();
    String userId = validator.name("user_id", memory.userId());
    if (memory.sessionId() != null) {
      Session session =
          sessions.computeIfAbsent(memory.sessionId(), id -> SessionQueries.find(connection, id));
      if (session == null) {
        throw new SessionNotFoundException(memory.sessionId());
      }
      if (!session.isActive() && !allowEndedSession) {
        throw new ValidationException(
            "session_id",
            "session " + session.id() + " ended at " + Json.formatInstant(session.endedAt()));
      }
      if (userId == null) {
        userId = session.userId();
      }
    }
    if (memory.parentId() != null
        && MemoryQueries.find(connection, memory.parentId(), now.toEpochMilli()) == null) {
      throw new MemoryNotFoundException(memory.parentId());
    }
    Long ttl = checked.ttlSeconds();
    Instant expiresAt =
        ttl != null ? now.plusSeconds(ttl) : lifetimeEnd(memory.tier(), memory.pinned(), now);
    return Memory.builder()
        .id(memory.id() != null ? memory.id() : ids.newMemoryId(now.toEpochMilli()))
        .type(memory.type())
        .tier(memory.tier())
        .content(memory.content())
        .sourceAgent(validator.name("source_agent", memory.sourceAgent()))
        .metadata(memory.metadata())
        .tags(checked.tags())
        .importance(memory.importance())
        .priority(memory.priority())
        .ttl(ttl == null ? null : Duration.ofSeconds(ttl))
        .expiresAt(expiresAt)
        .createdAt(now)
        .updatedAt(now)
        .parentId(memory.parentId())
        .sessionId(memory.sessionId())
        .userId(userId)
        .agentId(validator.name("agent_id", memory.agentId()))
        .pinned(memory.pinned())
        .sensitive(memory.sensitive())
        .factKey(Validator.factKey(memory.factKey()))
        .validFrom(Facts.validFrom(memory, now))
        .build();
  }

  /**
   * Returns when a memory without a time to live of its own expires by the retention policy: a
   * short-term one at the end of the short-term lifetime unless pinned, others never.
   */
  private Instant lifetimeEnd(MemoryTier tier, boolean pinned, Instant from) {
    Duration lifetime = config.retention().shortTermLifetime();
    return tier == MemoryTier.SHORT_TERM && !pinned && lifetime != null
        ? from.plus(lifetime)
        : null;
  }

  // Changing

  /** Checks an update, embeds changed content outside the transaction, and applies it. */
  public Memory update(String memoryId, MemoryUpdate update) {
    Validator.memoryId("memory_id", memoryId);
    Objects.requireNonNull(update, "update");
    if (update.isEmpty() && update.embedding() == null) {
      throw new ValidationException("payload", "the update changes nothing");
    }
    boolean sealByPolicy = false;
    if (update.changes(MemoryUpdate.Field.CONTENT)) {
      validator.content("content", update.content());
      sealByPolicy = secrets.sealsUpdate(update);
    }
    if (update.changes(MemoryUpdate.Field.TYPE) && update.type() == null) {
      throw new ValidationException("memory_type", "memory_type must not be null");
    }
    if (update.changes(MemoryUpdate.Field.TIER) && update.tier() == null) {
      throw new ValidationException("memory_tier", "memory_tier must not be null");
    }
    if (update.changes(MemoryUpdate.Field.IMPORTANCE)) {
      validator.importance(update.importance());
    }
    if (update.changes(MemoryUpdate.Field.PRIORITY)) {
      validator.priority(update.priority());
    }
    if (update.changes(MemoryUpdate.Field.METADATA)) {
      validator.metadata(update.metadata());
    }
    List<String> tags =
        update.changes(MemoryUpdate.Field.TAGS) ? validator.tags(update.tags()) : null;
    Long ttl = update.changes(MemoryUpdate.Field.TTL) ? validator.ttlSeconds(update.ttl()) : null;
    String sourceAgent = validator.name("source_agent", update.sourceAgent());
    String userId = validator.name("user_id", update.userId());
    String agentId = validator.name("agent_id", update.agentId());
    if (update.parentId() != null) {
      Validator.memoryId("parent_id", update.parentId());
      if (update.parentId().equals(memoryId)) {
        throw new ValidationException("parent_id", "a memory cannot be its own parent");
      }
    }
    float[] vector = update.embedding();
    if (vector != null) {
      Validator.embedding(vector, dimension);
    } else if (update.changes(MemoryUpdate.Field.CONTENT)) {
      vector =
          preparation
              .embedMissing(
                  List.of(new Checked(NewMemory.of(update.content()), List.of(), null, null)))
              .get(0);
    }
    float[] newVector = vector;
    boolean sealed = sealByPolicy;
    boolean[] sealedNow = {false};
    Memory updated =
        database.write(
            connection -> {
              Instant now = now();
              MemoryQueries.Row row = requireLive(connection, memoryId, now);
              Memory old = row.memory();
              if (update.parentId() != null) {
                if (MemoryQueries.find(connection, update.parentId(), now.toEpochMilli()) == null) {
                  throw new MemoryNotFoundException(update.parentId());
                }
                if (MemoryQueries.isDescendant(connection, update.parentId(), memoryId)) {
                  throw new ValidationException(
                      "parent_id",
                      update.parentId()
                          + " is a descendant of "
                          + memoryId
                          + "; that would make a cycle");
                }
              }
              Long ttlSeconds =
                  update.changes(MemoryUpdate.Field.TTL)
                      ? ttl
                      : (old.ttl() == null ? null : old.ttl().toSeconds());
              MemoryTier tier = pick(update, MemoryUpdate.Field.TIER, update.tier(), old.tier());
              boolean pinned =
                  pick(update, MemoryUpdate.Field.PINNED, update.pinned(), old.pinned());
              Instant expiresAt;
              if (ttlSeconds != null) {
                expiresAt =
                    update.changes(MemoryUpdate.Field.TTL)
                        ? now.plusSeconds(ttlSeconds)
                        : old.expiresAt();
              } else if (update.changes(MemoryUpdate.Field.TTL)
                  || tier != old.tier()
                  || pinned != old.pinned()) {
                // Without a time to live of its own, the policy's lifetime follows tier and pin.
                expiresAt = lifetimeEnd(tier, pinned, old.createdAt());
              } else {
                expiresAt = old.expiresAt();
              }
              Memory changed =
                  old.toBuilder()
                      .type(pick(update, MemoryUpdate.Field.TYPE, update.type(), old.type()))
                      .tier(tier)
                      .content(
                          pick(update, MemoryUpdate.Field.CONTENT, update.content(), old.content()))
                      .sourceAgent(
                          pick(
                              update,
                              MemoryUpdate.Field.SOURCE_AGENT,
                              sourceAgent,
                              old.sourceAgent()))
                      .metadata(
                          pick(
                              update,
                              MemoryUpdate.Field.METADATA,
                              update.metadata(),
                              old.metadata()))
                      .tags(pick(update, MemoryUpdate.Field.TAGS, tags, old.tags()))
                      .importance(
                          pick(
                              update,
                              MemoryUpdate.Field.IMPORTANCE,
                              update.importance(),
                              old.importance()))
                      .priority(
                          pick(
                              update,
                              MemoryUpdate.Field.PRIORITY,
                              update.priority(),
                              old.priority()))
                      .ttl(ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds))
                      .expiresAt(expiresAt)
                      .updatedAt(now)
                      .parentId(
                          pick(
                              update,
                              MemoryUpdate.Field.PARENT_ID,
                              update.parentId(),
                              old.parentId()))
                      .userId(pick(update, MemoryUpdate.Field.USER_ID, userId, old.userId()))
                      .agentId(pick(update, MemoryUpdate.Field.AGENT_ID, agentId, old.agentId()))
                      .pinned(pinned)
                      .sensitive(
                          sealed
                              || pick(
                                  update,
                                  MemoryUpdate.Field.SENSITIVE,
                                  update.sensitive(),
                                  old.sensitive()))
                      .build();
              Map<String, HistoryEntry.Change> changes = MemoryChanges.between(old, changed);
              if (changes.isEmpty() && newVector == null) {
                return old;
              }
              MemoryQueries.rewrite(connection, row.seq(), changed);
              boolean contentChanged = !old.content().equals(changed.content());
              if (!old.tags().equals(changed.tags())) {
                MemoryQueries.replaceTags(connection, row.seq(), changed.tags());
              }
              if (contentChanged
                  || !old.tags().equals(changed.tags())
                  || old.sensitive() != changed.sensitive()) {
                MemoryQueries.replaceFullText(
                    connection, row.seq(), changed.content(), changed.tags());
              }
              boolean written =
                  newVector != null
                      && vectors.write(
                          connection, row.seq(), newVector, update.embedding() != null);
              if (!written && contentChanged) {
                // The old vector describes the old text: drop it rather than answer searches with
                // it.
                vectors.delete(connection, row.seq());
              } else if (!written && old.sensitive() != changed.sensitive()) {
                vectors.recode(connection, row.seq(), memoryId);
              }
              if (changed.sensitive() && !old.sensitive()) {
                sealedNow[0] = true;
                // Earlier entries hold the clear text and metadata of the memory's updates.
                HistoryQueries.removeContent(connection, memoryId);
              }
              HistoryQueries.add(connection, memoryId, HistoryEntry.Action.UPDATED, now, changes);
              return changed;
            });
    if (sealedNow[0]) {
      // The log still holds the pages of the clear version: fold it into the file, where secure
      // delete overwrote them, and truncate it.
      database.checkpoint();
    }
    events.publish(MemoryEvent.Type.UPDATED, memoryId, now(), Map.of());
    return accessLog.withPending(updated);
  }

  private static <T> T pick(MemoryUpdate update, MemoryUpdate.Field field, T newValue, T oldValue) {
    return update.changes(field) ? newValue : oldValue;
  }

  /** Returns the live memory's row, or throws {@link MemoryNotFoundException}. */
  public static MemoryQueries.Row requireLive(Connection connection, String memoryId, Instant now) {
    MemoryQueries.Row row = MemoryQueries.find(connection, memoryId, now.toEpochMilli());
    if (row == null) {
      throw new MemoryNotFoundException(memoryId);
    }
    return row;
  }

  /** Multiplies a memory's importance by the factor, as a recall. */
  public Memory reinforce(String memoryId, double factor) {
    Validator.memoryId("memory_id", memoryId);
    Validator.reinforcementFactor(factor);
    Memory reinforced =
        database.write(connection -> reinforce(connection, memoryId, factor, now(), null));
    events.publish(MemoryEvent.Type.REINFORCED, memoryId, now(), Map.of("factor", factor));
    return accessLog.withPending(reinforced);
  }

  /**
   * Reinforces a memory in the caller's transaction. Reinforcing is recalling: the idle time of the
   * retention formula restarts. A repeated create (given a reason) counts as an access too.
   */
  private static Memory reinforce(
      Connection connection, String memoryId, double factor, Instant now, String reasonOrNull) {
    MemoryQueries.Row row = requireLive(connection, memoryId, now);
    Memory old = row.memory();
    double importance = Math.min(1.0, Math.max(0.0, old.importance() * factor));
    Sql.update(
        connection,
        """
        update memories set importance = ?, access_count = access_count + ?,
          last_accessed_at = max(coalesce(last_accessed_at, 0), ?)
        where seq = ?""",
        importance,
        reasonOrNull == null ? 0 : 1,
        now.toEpochMilli(),
        row.seq());
    MemoryQueries.logChange(connection, row.seq());
    HistoryEntry.Change change = new HistoryEntry.Change(old.importance(), importance);
    HistoryQueries.add(
        connection,
        memoryId,
        HistoryEntry.Action.REINFORCED,
        now,
        reasonOrNull == null
            ? Map.of("importance", change)
            : Map.of("importance", change, "reason", new HistoryEntry.Change(null, reasonOrNull)));
    return MemoryQueries.find(connection, memoryId, now.toEpochMilli()).memory();
  }

  // Deleting

  /** Deletes the memories (with their descendants if cascading); all must exist. */
  public List<String> deleteAll(Collection<String> memoryIds, boolean cascade) {
    Objects.requireNonNull(memoryIds, "memoryIds");
    if (memoryIds.isEmpty()) {
      throw new ValidationException("memory_ids", "no memory ids given");
    }
    for (String id : memoryIds) {
      Validator.memoryId(memoryIds.size() == 1 ? "memory_id" : "memory_ids", id);
    }
    List<String> unique = List.copyOf(new LinkedHashSet<>(memoryIds));
    List<String> deleted =
        database.write(
            connection -> {
              Map<String, Long> seqs = seqsOf(connection, unique);
              List<String> missing = unique.stream().filter(id -> !seqs.containsKey(id)).toList();
              if (!missing.isEmpty()) {
                throw new MemoryNotFoundException(missing);
              }
              return deleteRows(connection, unique, cascade, now(), null);
            });
    events.publishAll(MemoryEvent.Type.DELETED, deleted, now());
    return deleted;
  }

  /** Deletes the live memories the filter selects; an unrestricted filter is refused. */
  public List<String> deleteMatching(MemoryFilter filter) {
    Objects.requireNonNull(filter, "filter");
    if (filter.isUnrestricted()) {
      throw new ValidationException(
          "filter",
          "a bulk delete needs at least one criterion; an empty filter would delete every memory");
    }
    List<String> deleted =
        database.write(
            connection -> {
              Instant now = now();
              List<String> matching =
                  MemoryQueries.matchingIds(connection, filter, now.toEpochMilli());
              return matching.isEmpty()
                  ? List.<String>of()
                  : deleteRows(connection, matching, false, now, null);
            });
    events.publishAll(MemoryEvent.Type.DELETED, deleted, now());
    return deleted;
  }

  /**
   * Deletes existing memories (and descendants or detaching children) inside the caller's
   * transaction; returns every memory deleted, summaries left without sources included.
   */
  public List<String> deleteRows(
      Connection connection,
      List<String> memoryIds,
      boolean cascade,
      Instant now,
      String reasonOrNull) {
    // Parents and children go in one transaction in any order; foreign keys are checked at commit.
    Sql.execute(connection, "pragma defer_foreign_keys = on");
    LinkedHashSet<String> targets = new LinkedHashSet<>();
    for (String id : memoryIds) {
      targets.addAll(cascade ? MemoryQueries.withDescendants(connection, id) : List.of(id));
    }
    if (!cascade) {
      for (String id : targets) {
        for (String child :
            Sql.query(
                connection,
                "select id from memories where parent_id = ?",
                row -> row.getString(1),
                id)) {
          if (!targets.contains(child)) {
            Sql.update(
                connection,
                "update memories set parent_id = null, updated_at = ? where id = ?",
                now.toEpochMilli(),
                child);
            MemoryQueries.logChange(connection, seqsOf(connection, List.of(child)).get(child));
            HistoryQueries.add(
                connection,
                child,
                HistoryEntry.Action.UPDATED,
                now,
                Map.of("parent_id", new HistoryEntry.Change(id, null)));
          }
        }
      }
    }
    List<String> summaries = SummarySources.summariesOf(connection, targets);
    Map<String, Long> seqs = seqsOf(connection, targets);
    for (String id : targets) {
      MemoryQueries.deleteRow(connection, seqs.get(id), vectors);
      HistoryQueries.replaceWithDeletion(connection, id, now, reasonOrNull);
      accessLog.forget(id);
    }
    if (summaries.isEmpty()) {
      return List.copyOf(targets);
    }
    targets.addAll(rebuildSummaries(connection, summaries, now));
    return List.copyOf(targets);
  }

  /**
   * Rebuilds the summaries from the memories they still link to, in the caller's transaction (see
   * {@link SummarySources}); returns the summaries deleted because none of their memories is left.
   */
  public List<String> rebuildSummaries(
      Connection connection, List<String> summaryIds, Instant now) {
    SummarySources.Rebuilt rebuilt =
        SummarySources.rebuild(this::summaryText, connection, vectors, summaryIds, now);
    rebuilt.deleted().forEach(accessLog::forget);
    if (!rebuilt.rewritten().isEmpty()) {
      // The rebuilt summaries lost their vectors; embed them once this transaction committed.
      background.runLater("embed-backlog", this::embedPendingQuietly, SUMMARY_EMBEDDING_DELAY);
    }
    return rebuilt.deleted();
  }

  private void embedPendingQuietly() {
    try {
      backlog.embedPending();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "embedding rebuilt summaries failed; the backlog retries later", e);
    }
  }

  private static Map<String, Long> seqsOf(Connection connection, Collection<String> memoryIds) {
    Map<String, Long> seqs = new HashMap<>();
    Sql.query(
        connection,
        "select id, seq from memories where id in (select value from json_each(?))",
        row -> seqs.put(row.getString(1), row.getLong(2)),
        Json.write(memoryIds));
    return seqs;
  }
}
