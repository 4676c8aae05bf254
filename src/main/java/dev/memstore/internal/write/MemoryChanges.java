package dev.memstore.internal.write;

import dev.memstore.HistoryEntry;
import dev.memstore.Memory;
import dev.memstore.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fields that differ between two versions of a memory, by wire name, as the history records
 * them.
 */
final class MemoryChanges {
  /** What a sealed memory's history holds in place of its content and metadata. */
  static final String SEALED = "[sealed]";

  private MemoryChanges() {}

  static Map<String, HistoryEntry.Change> between(Memory before, Memory after) {
    Map<String, Object> old = wireFields(before);
    Map<String, Object> now = wireFields(after);
    Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
    if (before.sensitive() || after.sensitive()) {
      // A sealed memory's history says that its content or metadata changed, never to what.
      for (String sealed : new String[] {"content", "metadata"}) {
        if (!Objects.equals(old.get(sealed), now.get(sealed))) {
          old.put(sealed, SEALED);
          now.put(sealed, SEALED);
          changes.put(sealed, new HistoryEntry.Change(SEALED, SEALED));
        }
      }
    }
    old.forEach(
        (field, value) -> {
          if (!Objects.equals(value, now.get(field))) {
            changes.put(field, new HistoryEntry.Change(value, now.get(field)));
          }
        });
    return changes;
  }

  private static Map<String, Object> wireFields(Memory memory) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("memory_type", memory.type().wireName());
    fields.put("memory_tier", memory.tier().wireName());
    fields.put("content", memory.content());
    fields.put("source_agent", memory.sourceAgent());
    fields.put("metadata", memory.metadata());
    fields.put("tags", memory.tags());
    fields.put("importance", memory.importance());
    fields.put("priority", memory.priority());
    fields.put("ttl", memory.ttl() == null ? null : memory.ttl().toSeconds());
    fields.put("expires_at", Json.formatInstant(memory.expiresAt()));
    fields.put("parent_id", memory.parentId());
    fields.put("user_id", memory.userId());
    fields.put("agent_id", memory.agentId());
    fields.put("pinned", memory.pinned());
    fields.put("sensitive", memory.sensitive());
    return fields;
  }
}
