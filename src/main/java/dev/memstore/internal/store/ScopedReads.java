package dev.memstore.internal.store;

import dev.memstore.ContextGroup;
import dev.memstore.ContextPack;
import dev.memstore.ForgetReceipt;
import dev.memstore.ForgetRequest;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.Page;
import dev.memstore.Relationship;
import dev.memstore.Session;
import dev.memstore.StoreStats;
import dev.memstore.TransferReport;
import dev.memstore.internal.audit.AuditTrail;
import java.io.Writer;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * What the agent guard (internal.access) needs of the store beyond {@link
 * dev.memstore.MemoryStore}: reads narrowed to the memories an agent may see (a filter, {@code
 * within}, that stands for its scope), reads that do not count as reads, and the access policy
 * saved in the file. The store returned by {@link StoreOpener#open} implements it. Thread-safe.
 */
public interface ScopedReads {
  /**
   * Returns where the agents of this store record their calls: {@link AuditTrail#NONE} until the
   * store keeps an audit log.
   */
  AuditTrail auditTrail();

  /** Returns the access policy saved in the file (JSON), or null when none was saved. */
  String savedAccessPolicy();

  /** Saves the access policy (JSON) in the file, replacing any saved before. */
  void saveAccessPolicy(String policyJson);

  /**
   * Returns the memories with these ids as stored, expired ones included, without counting reads;
   * ids that name nothing are left out.
   */
  List<Memory> peek(Collection<String> memoryIds);

  /** Returns a memory's id and the ids of all its descendants. */
  List<String> withDescendants(String memoryId);

  /** Returns the ids of the memories the filter matches. */
  List<String> matchingIds(MemoryFilter filter);

  /**
   * Returns the statistics of the memories the filter matches, and of the sessions of these users
   * (every session when empty): see StatsQueries.readWithin.
   */
  StoreStats stats(MemoryFilter within, Set<String> sessionUsers);

  /** Returns every context group, each with the number of its members the filter matches. */
  List<ContextGroup> groups(MemoryFilter within);

  /** Returns a page of the sessions of these users, newest first. */
  Page<Session> sessionsOfUsers(boolean includeEnded, Set<String> users, int offset, int limit);

  /** Returns a context pack built from the memories the filter matches only. */
  ContextPack contextPack(
      String sessionIdOrNull, String queryOrNull, int tokenBudget, MemoryFilter within);

  /**
   * Exports the memories the filter matches, with their sessions (without summaries), the
   * relationships between them and their group memberships (see Transfer.export).
   */
  TransferReport exportWithin(Writer out, LongConsumer progress, MemoryFilter within);

  /** Returns the relationship with the id, or null. */
  Relationship relationship(long relationshipId);

  /** Forgets as {@link dev.memstore.Privacy#forget} does, naming the agent on the receipt. */
  ForgetReceipt forget(ForgetRequest request, String agent);
}
