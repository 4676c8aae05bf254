package dev.memstore.internal.access;

import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.Page;
import dev.memstore.Session;
import dev.memstore.Sessions;
import dev.memstore.ValidationException;
import dev.memstore.internal.access.Guard.Kind;
import dev.memstore.internal.storage.MemoryQueries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The sessions as one agent sees them. A scope of users shows only their sessions; a scope of types
 * or tiers hides sessions' summaries, which were written from all their memories. Thread-safe.
 */
final class AgentSessions implements Sessions {
  private final Guard guard;
  private final Sessions sessions;

  AgentSessions(Guard guard, Sessions sessions) {
    this.guard = guard;
    this.sessions = sessions;
  }

  @Override
  public Session create(String userIdOrNull, String sessionTypeOrNull, Map<String, ?> metadata) {
    return guard.run(
        "create_session",
        Kind.WRITE,
        () -> {
          requireUser("create_session", userIdOrNull);
          return sessions.create(userIdOrNull, sessionTypeOrNull, metadata);
        },
        Guard::none);
  }

  private void requireUser(String action, String userId) {
    if (!guard.unscoped() && !guard.scope.containsUser(userId)) {
      throw guard.outsideScope(
          action, userId == null ? "a session without a user" : "a session of user " + userId);
    }
  }

  private Session visible(String action, Session session) {
    requireUser(action, session.userId());
    return shown(session);
  }

  /** The session as the agent may see it: without its summary when the scope limits types. */
  private Session shown(Session session) {
    return guard.unscoped() || !guard.scope.limitsTypesOrTiers() || session.summary() == null
        ? session
        : new Session(
            session.id(),
            session.userId(),
            session.sessionType(),
            session.metadata(),
            session.createdAt(),
            session.endedAt(),
            null,
            session.archived());
  }

  @Override
  public Session get(String sessionId) {
    return guard.run(
        "get_session",
        Kind.READ,
        () -> visible("get_session", sessions.get(sessionId)),
        Guard::none);
  }

  @Override
  public Page<Session> list(boolean includeEnded, int offset, int limit) {
    return guard.run(
        "list_sessions",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return sessions.list(includeEnded, offset, limit);
          }
          Page<Session> page =
              guard.scope.users().isEmpty()
                  ? sessions.list(includeEnded, offset, limit)
                  : guard.reads.sessionsOfUsers(includeEnded, guard.scope.users(), offset, limit);
          return new Page<>(
              page.items().stream().map(this::shown).toList(),
              page.totalCount(),
              page.offset(),
              page.limit());
        },
        Guard::none);
  }

  @Override
  public Session end(String sessionId, String summaryOrNull, boolean archive) {
    return guard.run(
        "end_session",
        Kind.WRITE,
        () -> {
          if (!guard.unscoped()) {
            Session session = visible("end_session", sessions.get(sessionId));
            // Ending writes a summary memory, from all the session's memories unless given, and
            // archives them: every one of them must lie in the scope.
            guard.requireNewInScope(
                "end_session", MemoryType.EPISODIC, MemoryTier.LONG_TERM, session.userId());
            MemoryFilter all =
                MemoryFilter.builder()
                    .sessionId(sessionId)
                    .includeExpired(true)
                    .includeArchived(true)
                    .includeSuperseded(true)
                    .build();
            MemoryFilter narrowed = guard.narrow(all);
            long inScope =
                narrowed == null
                    ? 0
                    : guard.store.list(narrowed, MemorySort.NEWEST_FIRST, 0, 1).totalCount();
            if (guard.store.list(all, MemorySort.NEWEST_FIRST, 0, 1).totalCount() != inScope) {
              throw guard.outsideScope(
                  "end_session",
                  "a memory of session " + sessionId + " (ending it reads them all)");
            }
          }
          return shown(sessions.end(sessionId, summaryOrNull, archive));
        },
        Guard::none);
  }

  @Override
  public List<Memory> conversationContext(String sessionId, int last) {
    return guard.run(
        "get_conversation_context",
        Kind.READ,
        () -> {
          if (guard.unscoped()) {
            return sessions.conversationContext(sessionId, last);
          }
          if (last < 1 || last > MemoryQueries.MAX_LIMIT) {
            throw new ValidationException(
                "limit",
                "limit must be between 1 and " + MemoryQueries.MAX_LIMIT + ", was " + last);
          }
          visible("get_conversation_context", sessions.get(sessionId));
          MemoryFilter narrowed = guard.narrow(MemoryFilter.builder().sessionId(sessionId).build());
          if (narrowed == null) {
            return List.<Memory>of();
          }
          List<Memory> newest =
              new ArrayList<>(guard.store.list(narrowed, MemorySort.NEWEST_FIRST, 0, last).items());
          Collections.reverse(newest);
          return newest;
        },
        memories -> memories.stream().map(Memory::id).toList());
  }
}
