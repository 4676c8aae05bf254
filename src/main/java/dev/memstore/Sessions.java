package dev.memstore;

import java.util.List;
import java.util.Map;

/**
 * The sessions of a {@link MemoryStore}: a conversation or task whose memories belong together,
 * started, read, listed and ended here. Obtained from {@link MemoryStore#sessions()}.
 *
 * <p>Thread-safe, like the store it views: every method runs as one transaction of the store, and
 * the view stays usable for as long as the store is open. After {@link MemoryStore#close()} every
 * method throws {@link IllegalStateException}.
 */
public interface Sessions {

  /**
   * Starts a session and returns it as stored.
   *
   * @param userIdOrNull the user the session belongs to, or null
   * @param sessionTypeOrNull the kind of session, or null for {@code conversation}
   * @param metadata JSON-like values stored with the session (copied), or null for none
   * @throws ValidationException if a name or the metadata is malformed or too large
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  Session create(String userIdOrNull, String sessionTypeOrNull, Map<String, ?> metadata);

  /**
   * Returns a session by id.
   *
   * @throws ValidationException if the id is malformed
   * @throws SessionNotFoundException if there is no such session
   * @throws StorageException if the file fails
   */
  Session get(String sessionId);

  /**
   * Returns one page of sessions, newest first, optionally with the ended ones.
   *
   * @throws ValidationException if {@code offset} is negative or {@code limit} out of range
   * @throws StorageException if the file fails
   */
  Page<Session> list(boolean includeEnded, int offset, int limit);

  /**
   * Ends a session and returns it as stored afterwards. Its summary, the one given or else one the
   * {@link Summarizer} writes from the session's memories, is stored on the session and as a
   * long-term episodic memory of the session tagged {@code session_summary}. With {@code archive},
   * the session's short-term memories are archived: kept for history and reads by id, left out of
   * lists and searches.
   *
   * @throws ValidationException if the id or summary is malformed, or the session already ended
   * @throws SessionNotFoundException if there is no such session
   * @throws ReadOnlyStoreException if the store is open read-only
   * @throws StorageException if the file fails
   */
  Session end(String sessionId, String summaryOrNull, boolean archive);

  /**
   * Returns the last {@code last} memories of a session, oldest first (a conversation's context).
   *
   * @throws ValidationException if the id is malformed or {@code last} out of range
   * @throws SessionNotFoundException if there is no such session
   * @throws StorageException if the file fails
   */
  List<Memory> conversationContext(String sessionId, int last);
}
