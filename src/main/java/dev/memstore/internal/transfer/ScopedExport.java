package dev.memstore.internal.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.MemoryFilter;
import dev.memstore.TransferReport;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * An export narrowed to the memories a filter matches (expired and archived ones included): what an
 * agent whose scope is that filter may take out. It filters the lines of the full export as they
 * are written, so the export's format has one writer: sessions are those of its memories, without
 * their summaries (written from all their memories); relationships are those between its memories;
 * groups list its memories only; a parent outside the filter is left out of its child ({@code
 * parent_id} null). Memories written after the filter was resolved are left out.
 */
public final class ScopedExport {
  private static final int PROGRESS_EVERY = 1_000;

  private ScopedExport() {}

  public static TransferReport export(
      Database database,
      Transfer transfer,
      Writer out,
      LongConsumer progress,
      MemoryFilter within) {
    MemoryFilter any =
        within.toBuilder()
            .includeExpired(true)
            .includeArchived(true)
            .includeSuperseded(true)
            .build();
    Set<String> memories = new HashSet<>();
    Set<String> sessions = new HashSet<>();
    database.read(
        connection -> {
          memories.addAll(MemoryQueries.matchingIds(connection, any, 0));
          Sql.query(
              connection,
              "select id, session_id from memories where session_id is not null",
              row -> {
                if (memories.contains(row.getString(1))) {
                  sessions.add(row.getString(2));
                }
                return null;
              });
          return null;
        });
    LineFilter filter = new LineFilter(out, memories, sessions, progress);
    // The export writes whole lines and flushes at its end; a failed write is its StorageException.
    transfer.export(filter, count -> {});
    progress.accept(filter.written);
    return new TransferReport(
        filter.sessions, filter.memories, filter.relationships, filter.groups, List.of(), 0);
  }

  /** Passes on the lines of the scope, each whole, and counts them. */
  private static final class LineFilter extends Writer {
    private final Writer out;
    private final Set<String> memoryIds;
    private final Set<String> sessionIds;
    private final LongConsumer progress;
    private final StringBuilder line = new StringBuilder();
    long written;
    long sessions;
    long memories;
    long relationships;
    long groups;

    LineFilter(Writer out, Set<String> memoryIds, Set<String> sessionIds, LongConsumer progress) {
      this.out = out;
      this.memoryIds = memoryIds;
      this.sessionIds = sessionIds;
      this.progress = progress;
    }

    @Override
    public void write(char[] characters, int offset, int length) throws IOException {
      for (int index = offset; index < offset + length; index++) {
        if (characters[index] == '\n') {
          pass(line.toString());
          line.setLength(0);
        } else {
          line.append(characters[index]);
        }
      }
    }

    private void pass(String text) throws IOException {
      ObjectNode record = (ObjectNode) Json.MAPPER.readTree(text);
      String kind = record.path("kind").asText();
      switch (kind) {
        case "session" -> {
          if (!sessionIds.contains(record.path("session_id").asText())) {
            return;
          }
          record.putNull("summary");
          sessions++;
        }
        case "memory" -> {
          if (!memoryIds.contains(record.path("memory_id").asText())) {
            return;
          }
          JsonNode parent = record.get("parent_id");
          if (parent != null && parent.isTextual() && !memoryIds.contains(parent.textValue())) {
            record.putNull("parent_id");
          }
          memories++;
        }
        case "relationship" -> {
          if (!memoryIds.contains(record.path("source_id").asText())
              || !memoryIds.contains(record.path("target_id").asText())) {
            return;
          }
          relationships++;
        }
        case "context_group" -> {
          ArrayNode members = (ArrayNode) record.get("members");
          for (int index = members.size() - 1; index >= 0; index--) {
            if (!memoryIds.contains(members.get(index).path("memory_id").asText())) {
              members.remove(index);
            }
          }
          groups++;
        }
        default -> {
          // The header, and any kind a later format adds, pass as they are.
        }
      }
      out.write(Json.write(record));
      out.write('\n');
      if (++written % PROGRESS_EVERY == 0) {
        progress.accept(written);
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
