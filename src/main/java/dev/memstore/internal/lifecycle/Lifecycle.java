package dev.memstore.internal.lifecycle;

import dev.memstore.CandidateFact;
import dev.memstore.ContextPack;
import dev.memstore.CreateResult;
import dev.memstore.ExtractedFact;
import dev.memstore.Extractor;
import dev.memstore.FactAction;
import dev.memstore.HistoryEntry;
import dev.memstore.LearnedInteraction;
import dev.memstore.Memory;
import dev.memstore.MemoryEvent;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStoreConfig;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchHit;
import dev.memstore.SearchQuery;
import dev.memstore.SearchResult;
import dev.memstore.Session;
import dev.memstore.SessionNotFoundException;
import dev.memstore.Summary;
import dev.memstore.ValidationException;
import dev.memstore.internal.events.Events;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.SessionQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.SqlWork;
import dev.memstore.internal.write.Facts;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.SummarySources;
import dev.memstore.internal.write.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The operations of a memory's life beyond storing and finding it: cleanup by age, summaries,
 * ending sessions, conversation context and context packs, learning from interactions.
 */
public final class Lifecycle {
  /** The most memories one summary reads. */
  static final int SUMMARY_LIMIT = 10_000;

  private static final Extractor DEFAULT_EXTRACTOR = new RuleExtractor();

  /** The most current facts {@link #learn} shows the extractor, newest first. */
  static final int CANDIDATE_LIMIT = 200;

  /**
   * The searches a context pack runs: hits not yet counted as reads, and counting those it keeps.
   */
  public interface Search {
    SearchResult searchWithoutReads(SearchQuery query, Instant now);

    List<SearchHit> countAsRead(List<SearchHit> hits, Instant now);
  }

  private final MemoryWrites writes;
  private final Search search;
  private final Database database;
  private final MemoryStoreConfig config;
  private final Events events;
  private final TokenCounter tokens;

  /** Counts the tokens of a memory's line in a context pack. */
  @FunctionalInterface
  public interface TokenCounter {
    int count(String content);
  }

  public Lifecycle(
      MemoryWrites writes,
      Search search,
      Database database,
      MemoryStoreConfig config,
      Events events,
      TokenCounter tokens) {
    this.tokens = tokens;
    this.writes = writes;
    this.search = search;
    this.database = database;
    this.config = config;
    this.events = events;
  }

  /**
   * Deletes (or with dryRun only lists) the unpinned memories the filter selects that meet every
   * criterion given, in one transaction.
   */
  public List<String> cleanup(
      MemoryFilter filter,
      Duration maxAge,
      Double minImportance,
      Long maxAccessCount,
      boolean dryRun) {
    if (maxAge != null && maxAge.isNegative()) {
      throw new ValidationException("max_age_days", "max_age_days must not be negative");
    }
    if (minImportance != null && !(minImportance >= 0 && minImportance <= 1)) {
      throw new ValidationException(
          "min_importance", "min_importance must be between 0 and 1, was " + minImportance);
    }
    if (maxAccessCount != null && maxAccessCount < 0) {
      throw new ValidationException(
          "max_access_count", "max_access_count must not be negative, was " + maxAccessCount);
    }
    Instant now = writes.now();
    long nowMillis = now.toEpochMilli();
    MemoryQueries.Where where = MemoryQueries.Where.of(filter, nowMillis);
    List<Object> parameters = new ArrayList<>(where.parameters());
    String sql =
        "select m.id, "
            + Maintenance.RETENTION_COLUMNS
            + Maintenance.RETAINED_FROM
            + " where m.pinned = 0 and "
            + where.sql();
    if (maxAge != null) {
      sql += " and m.created_at < ?";
      parameters.add(now.minus(maxAge).toEpochMilli());
    }
    if (maxAccessCount != null) {
      sql += " and m.access_count <= ?";
      parameters.add(maxAccessCount);
    }
    String query = sql + " order by m.seq";
    // One transaction: what the dry run lists is what the real run deletes, given the same file.
    SqlWork<List<String>> work =
        connection -> {
          List<String> ids = new ArrayList<>();
          Sql.query(
              connection,
              query,
              row -> {
                double effective = Maintenance.effective(row, config.retention(), nowMillis);
                if (minImportance == null || effective < minImportance) {
                  ids.add(row.getString(1));
                }
                return null;
              },
              parameters.toArray());
          if (dryRun || ids.isEmpty()) {
            return ids;
          }
          return writes.deleteRows(connection, ids, false, now, "cleaned up");
        };
    List<String> ids = dryRun ? database.read(work) : database.write(work);
    if (!dryRun) {
      events.publishAll(MemoryEvent.Type.PRUNED, ids, now);
    }
    return ids;
  }

  public Summary summarize(MemoryFilter filter) {
    return summaryOf(list(filter, MemorySort.OLDEST_FIRST, SUMMARY_LIMIT));
  }

  /** Lists live memories as the store's list does, with the reads not yet written counted in. */
  private List<Memory> list(MemoryFilter filter, MemorySort sort, int limit) {
    long now = writes.now().toEpochMilli();
    return database
        .read(connection -> MemoryQueries.list(connection, filter, sort, 0, limit, now))
        .stream()
        .map(writes.accessLog()::withPending)
        .toList();
  }

  /** The filter narrowed to one session. */
  private static MemoryFilter inSession(MemoryFilter filter, String sessionId) {
    return filter.toBuilder().sessionId(sessionId).build();
  }

  private Session session(String sessionId) {
    Session session = database.read(connection -> SessionQueries.find(connection, sessionId));
    if (session == null) {
      throw new SessionNotFoundException(sessionId);
    }
    return session;
  }

  private Summary summaryOf(List<Memory> memories) {
    if (memories.isEmpty()) {
      return new Summary("No memories to summarize.", 0, null, null, List.of());
    }
    return new Summary(
        writes.summaryText(memories),
        memories.size(),
        memories.get(0).createdAt(),
        memories.get(memories.size() - 1).createdAt(),
        memories.stream().map(Memory::id).toList());
  }

  /**
   * Ends a session: stores its summary (given, or generated from its memories) as a long-term
   * episodic memory of the session, and with archive archives its short-term memories, all in one
   * transaction.
   */
  public Session endSession(String sessionId, String summaryOrNull, boolean archive) {
    Session session = session(sessionId);
    requireActive(session);
    String text;
    Summary generated = null;
    if (summaryOrNull != null) {
      text = summaryOrNull;
    } else {
      generated = summarize(MemoryFilter.builder().sessionId(sessionId).build());
      text = generated.text();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("session_summary", true);
    metadata.put("generated", summaryOrNull == null);
    if (generated != null) {
      metadata.put("memory_count", generated.memoryCount());
    }
    MemoryWrites.Prepared prepared =
        writes.prepare(
            List.of(
                NewMemory.builder(text)
                    .type(MemoryType.EPISODIC)
                    .tier(MemoryTier.LONG_TERM)
                    .sessionId(sessionId)
                    .userId(session.userId())
                    .importance(0.7)
                    .tags("session_summary")
                    .metadata(metadata)
                    .build()));
    List<String> archived = new ArrayList<>();
    String[] summaryId = new String[1];
    Summary summarized = generated;
    Session ended =
        database.write(
            connection -> {
              Instant now = writes.now();
              Session current = SessionQueries.find(connection, sessionId);
              if (current == null) {
                throw new SessionNotFoundException(sessionId);
              }
              requireActive(current);
              Sql.update(
                  connection,
                  "update sessions set ended_at = ?, summary = ?, archived = ? where id = ?",
                  now.toEpochMilli(),
                  text,
                  archive,
                  sessionId);
              summaryId[0] = writes.insert(connection, prepared, now, true).get(0).id();
              if (summarized != null) {
                SummarySources.link(connection, summaryId[0], summarized.memoryIds(), now);
                if (summarized.memoryIds().size()
                    > SummarySources.linkedCount(connection, summaryId[0])) {
                  // A memory was deleted since it was read: its words must not stay.
                  writes.rebuildSummaries(connection, List.of(summaryId[0]), now);
                }
              }
              if (archive) {
                List<Object[]> rows =
                    Sql.query(
                        connection,
                        """
                        select seq, id from memories
                        where session_id = ? and tier = 'short_term' and archived_at is null
                          and (expires_at is null or expires_at > ?)""",
                        row -> new Object[] {row.getLong(1), row.getString(2)},
                        sessionId,
                        now.toEpochMilli());
                for (Object[] row : rows) {
                  // Kept for history: the short-term lifetime no longer applies.
                  Sql.update(
                      connection,
                      """
                      update memories set archived_at = ?,
                        expires_at = case when ttl_seconds is null then null else expires_at end
                      where seq = ?""",
                      now.toEpochMilli(),
                      row[0]);
                  MemoryQueries.logChange(connection, (Long) row[0]);
                  HistoryQueries.add(
                      connection,
                      (String) row[1],
                      HistoryEntry.Action.ARCHIVED,
                      now,
                      Map.of(
                          "archived_at", new HistoryEntry.Change(null, Json.formatInstant(now))));
                  archived.add((String) row[1]);
                }
              }
              return SessionQueries.find(connection, sessionId);
            });
    Instant now = writes.now();
    events.publish(
        MemoryEvent.Type.STORED, summaryId[0], now, Map.of("session_summary", sessionId));
    events.publishAll(MemoryEvent.Type.ARCHIVED, archived, now);
    return ended;
  }

  private static void requireActive(Session session) {
    if (!session.isActive()) {
      throw new ValidationException(
          "session_id",
          "session " + session.id() + " already ended at " + Json.formatInstant(session.endedAt()));
    }
  }

  /** Returns the last memories of a session, oldest first. */
  public List<Memory> conversationContext(String sessionId, int last) {
    if (last < 1 || last > MemoryQueries.MAX_LIMIT) {
      throw new ValidationException(
          "limit", "limit must be between 1 and " + MemoryQueries.MAX_LIMIT + ", was " + last);
    }
    session(sessionId);
    List<Memory> newest =
        new ArrayList<>(
            list(
                MemoryFilter.builder().sessionId(sessionId).build(),
                MemorySort.NEWEST_FIRST,
                last));
    Collections.reverse(newest);
    return newest;
  }

  /**
   * Builds a context pack: first the profile (the current facts of the session's user, most
   * important first) within its share of the budget, then up to half of what is left for the
   * session's newest memories (all of it without a query), the rest for the most relevant memories
   * outside them.
   */
  public ContextPack contextPack(String sessionIdOrNull, String queryOrNull, int tokenBudget) {
    return contextPack(sessionIdOrNull, queryOrNull, tokenBudget, MemoryFilter.all());
  }

  /**
   * Builds a context pack as {@link #contextPack(String, String, int)} does, from the memories the
   * filter matches only: the profile's, the session's and the relevant ones.
   */
  public ContextPack contextPack(
      String sessionIdOrNull, String queryOrNull, int tokenBudget, MemoryFilter within) {
    if (tokenBudget < 16 || tokenBudget > 1_000_000) {
      throw new ValidationException(
          "token_budget", "token_budget must be between 16 and 1000000, was " + tokenBudget);
    }
    boolean hasQuery = queryOrNull != null && !queryOrNull.isBlank();
    String userId = sessionIdOrNull == null ? null : session(sessionIdOrNull).userId();
    int profileBudget = (int) Math.floor(tokenBudget * config.profileShare());
    List<Memory> profile = new ArrayList<>();
    int used = 0;
    if (profileBudget > 0) {
      for (Memory fact : profileFacts(userId, within)) {
        int cost = tokens.count(fact.content());
        if (used + cost > profileBudget) {
          continue; // a shorter, less important fact may still fit
        }
        profile.add(fact);
        used += cost;
      }
    }
    Set<String> seen = new HashSet<>();
    profile.forEach(memory -> seen.add(memory.id()));
    // What the profile leaves flows to the rest of the pack.
    int rest = tokenBudget - used;
    int recentBudget = used + (hasQuery && sessionIdOrNull != null ? rest / 2 : rest);
    List<Memory> recent = new ArrayList<>();
    if (sessionIdOrNull != null) {
      List<Memory> newestFirst;
      if (within.isUnrestricted()) {
        newestFirst = new ArrayList<>(conversationContext(sessionIdOrNull, 200));
        Collections.reverse(newestFirst);
      } else {
        newestFirst = list(inSession(within, sessionIdOrNull), MemorySort.NEWEST_FIRST, 200);
      }
      for (Memory memory : newestFirst) {
        if (seen.contains(memory.id())) {
          continue;
        }
        int cost = tokens.count(memory.content());
        if (used + cost > recentBudget) {
          break;
        }
        recent.add(0, memory);
        used += cost;
      }
    }
    List<SearchHit> relevant = new ArrayList<>();
    if (hasQuery) {
      recent.forEach(memory -> seen.add(memory.id()));
      // Only the hits that fit the budget are read; the others are not counted as reads.
      Instant now = writes.now();
      SearchQuery query = SearchQuery.builder(queryOrNull).limit(50).filter(within).build();
      for (SearchHit hit : search.searchWithoutReads(query, now).hits()) {
        if (seen.contains(hit.memory().id())) {
          continue;
        }
        int cost = tokens.count(hit.memory().content());
        if (used + cost > tokenBudget) {
          continue;
        }
        relevant.add(hit);
        used += cost;
      }
      relevant = search.countAsRead(relevant, now);
    }
    StringBuilder text = new StringBuilder();
    if (!profile.isEmpty()) {
      text.append(ContextPack.PROFILE_HEADING).append('\n');
      profile.forEach(memory -> text.append("- ").append(memory.content()).append('\n'));
    }
    if (!relevant.isEmpty()) {
      text.append(text.isEmpty() ? "" : "\n").append("Relevant memories:\n");
      relevant.forEach(hit -> text.append("- ").append(hit.memory().content()).append('\n'));
    }
    if (!recent.isEmpty()) {
      text.append(text.isEmpty() ? "" : "\n").append("Recent conversation:\n");
      recent.forEach(memory -> text.append("- ").append(memory.content()).append('\n'));
    }
    return new ContextPack(profile, recent, relevant, text.toString(), used);
  }

  /**
   * Returns the current facts of a user (without a user: the facts stored without one, as {@link
   * #learn} stores them without a session) that the filter matches, most important first, then the
   * newest; none when the filter is restricted to another user.
   */
  List<Memory> profileFacts(String userIdOrNull, MemoryFilter within) {
    if (within.userId() != null && !within.userId().equals(userIdOrNull)) {
      return List.of();
    }
    return currentKeyedFacts(
            userIdOrNull,
            within,
            "m.importance desc, coalesce(m.valid_from, m.created_at) desc, m.seq desc")
        .stream()
        .map(writes.accessLog()::withPending)
        .toList();
  }

  /**
   * Returns at most {@link #CANDIDATE_LIMIT} current keyed facts of a user (without a user: those
   * stored without one) that the filter matches, in the given SQL order.
   */
  private List<Memory> currentKeyedFacts(String userIdOrNull, MemoryFilter within, String order) {
    MemoryFilter current =
        within.toBuilder().userId(userIdOrNull).asOf(null).includeSuperseded(false).build();
    MemoryQueries.Where where = MemoryQueries.Where.of(current, writes.now().toEpochMilli());
    List<Object> parameters = new ArrayList<>(where.parameters());
    parameters.add(CANDIDATE_LIMIT);
    String sql =
        "select "
            + MemoryQueries.COLUMNS
            + " from memories m where m.fact_key is not null"
            + (userIdOrNull == null ? " and m.user_id is null" : "")
            + " and "
            + where.sql()
            + " order by "
            + order
            + " limit ?";
    return database.read(
        connection ->
            Sql.query(
                connection, sql, row -> MemoryQueries.mapRow(row).memory(), parameters.toArray()));
  }

  /**
   * Stores an exchange as a conversation memory and each fact the extractor decides to add, update
   * or delete as a long-term memory with its fact key (see {@link #factMemory}); a fact it decides
   * is already known (NONE) reinforces that memory, and so does a fact with the same text, type and
   * user as a stored one. Feedback from -1 to 1 moves the exchange's importance from 0.25 to 0.75.
   * The facts come back in the extractor's order, the reinforced known ones last.
   */
  public LearnedInteraction learn(
      String userInput, String assistantResponse, String sessionIdOrNull, Double feedback) {
    if (userInput == null || userInput.isBlank()) {
      throw new ValidationException("user_input", "user_input must not be empty");
    }
    if (feedback != null && !(feedback >= -1 && feedback <= 1)) {
      throw new ValidationException(
          "feedback", "feedback must be between -1 and 1, was " + feedback);
    }
    String userId = sessionIdOrNull == null ? null : session(sessionIdOrNull).userId();
    Extractor extractor = config.extractor() != null ? config.extractor() : DEFAULT_EXTRACTOR;
    List<CandidateFact> candidates = currentFacts(userId);
    String subject = subjectOf(userId);
    List<ExtractedFact> facts =
        extractor.decide(userInput, assistantResponse, subject, candidates).stream()
            .map(fact -> checked(fact, candidates))
            .filter(Objects::nonNull)
            .toList();
    String exchange =
        "User: "
            + userInput.strip()
            + (assistantResponse == null || assistantResponse.isBlank()
                ? ""
                : "\nAssistant: " + assistantResponse.strip());
    List<NewMemory> memories = new ArrayList<>();
    memories.add(
        NewMemory.builder(exchange)
            .type(MemoryType.CONVERSATION)
            .tier(MemoryTier.SHORT_TERM)
            .sessionId(sessionIdOrNull)
            .importance(0.5 + 0.25 * (feedback == null ? 0 : feedback))
            .metadata(
                feedback == null
                    ? Map.of("learned", true)
                    : Map.of("learned", true, "feedback", feedback))
            .build());
    List<String> known = new ArrayList<>();
    for (ExtractedFact fact : facts) {
      if (fact.action() == FactAction.NONE) {
        if (fact.targetMemoryId() != null && !known.contains(fact.targetMemoryId())) {
          known.add(fact.targetMemoryId());
        }
      } else {
        memories.add(factMemory(fact, userId));
      }
    }
    List<Memory> stored =
        new ArrayList<>(writes.create(memories).stream().map(CreateResult::memory).toList());
    for (String memoryId : known) {
      stored.add(writes.reinforce(memoryId, MemoryWrites.DUPLICATE_REINFORCEMENT));
    }
    return new LearnedInteraction(stored.get(0), stored.subList(1, stored.size()));
  }

  /**
   * Returns the long-term memory of an extracted fact. Storing it under its fact key supersedes the
   * current fact of that key: UPDATE and DELETE both do (a DELETE's content says the fact ended,
   * "The user is no longer with their partner."). The decision stays in the metadata as provenance.
   */
  static NewMemory factMemory(ExtractedFact fact, String userIdOrNull) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("source", "learn_from_interaction");
    if (fact.factKey() != null) {
      metadata.put("fact_action", fact.action().name().toLowerCase(Locale.ROOT));
    }
    return NewMemory.builder(fact.content())
        .type(fact.type())
        .tier(MemoryTier.LONG_TERM)
        .userId(userIdOrNull)
        .importance(fact.importance())
        .tags("learned")
        .metadata(metadata)
        .factKey(fact.factKey())
        .build();
  }

  /**
   * The subject of the user's fact keys: the user id as a key can hold it (lower case, with {@code
   * _} for characters a key cannot hold), or {@link Extractor#USER_SUBJECT} without a user.
   */
  static String subjectOf(String userIdOrNull) {
    return userIdOrNull == null
        ? Extractor.USER_SUBJECT
        : userIdOrNull.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.@+-]", "_");
  }

  /**
   * Returns the fact with a decision the store can carry out, or null to drop it: a target that is
   * no candidate makes it ADD (an extractor must not invent one) or, for NONE, drops it; an UPDATE
   * or DELETE takes its target's key; an UPDATE or DELETE without a target is an ADD.
   */
  static ExtractedFact checked(ExtractedFact fact, List<CandidateFact> candidates) {
    if (fact.targetMemoryId() == null) {
      return fact.action() == FactAction.NONE ? fact : fact.withAction(FactAction.ADD, null);
    }
    CandidateFact target =
        candidates.stream()
            .filter(candidate -> candidate.memoryId().equals(fact.targetMemoryId()))
            .findFirst()
            .orElse(null);
    if (target == null) {
      return fact.action() == FactAction.NONE ? null : fact.withAction(FactAction.ADD, null);
    }
    return fact.action() == FactAction.NONE ? fact : fact.withFactKey(target.factKey());
  }

  /**
   * Returns the user's current keyed facts (no user: those without one), newest first, at most
   * {@link #CANDIDATE_LIMIT}: live, unarchived, readable, not superseded.
   */
  List<CandidateFact> currentFacts(String userIdOrNull) {
    return currentKeyedFacts(
            userIdOrNull,
            MemoryFilter.all(),
            "coalesce(m.valid_from, m.created_at) desc, m.seq desc")
        .stream()
        .map(
            memory ->
                new CandidateFact(
                    memory.id(),
                    memory.factKey(),
                    memory.content(),
                    memory.validFrom() != null ? memory.validFrom() : memory.createdAt()))
        .toList();
  }

  /**
   * Makes a superseded fact current again; the fact that was current ends where it began, as if it
   * had never held. Returns the restored memory.
   */
  public Memory restoreFact(String memoryId) {
    Validator.memoryId("memory_id", memoryId);
    Instant now = writes.now();
    List<String> changed =
        database.write(
            connection -> {
              MemoryWrites.requireLive(connection, memoryId, now);
              return Facts.restore(connection, memoryId, now);
            });
    for (String id : changed) {
      events.publish(
          MemoryEvent.Type.UPDATED,
          id,
          now,
          id.equals(memoryId) ? Map.of("restored", true) : Map.of("superseded_by", memoryId));
    }
    return database.read(
        connection -> MemoryWrites.requireLive(connection, memoryId, now).memory());
  }
}
