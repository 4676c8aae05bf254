package dev.memstore.internal.transfer;

import static dev.memstore.internal.transfer.RecordFields.instant;
import static dev.memstore.internal.transfer.RecordFields.instantOrNull;
import static dev.memstore.internal.transfer.RecordFields.nullableInstant;
import static dev.memstore.internal.transfer.RecordFields.optionalText;
import static dev.memstore.internal.transfer.RecordFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.HistoryEntry;
import dev.memstore.InvalidRequestException;
import dev.memstore.Memory;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.StorageException;
import dev.memstore.TransferReport;
import dev.memstore.ValidationException;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.json.WireFormat;
import dev.memstore.internal.storage.ContentKeys;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.HistoryQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.storage.Sql;
import dev.memstore.internal.storage.VectorStorage;
import dev.memstore.internal.write.Facts;
import dev.memstore.internal.write.Validator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Export and import as JSON Lines. Each line is one record with a {@code kind}: {@code header},
 * {@code session}, {@code memory} (with {@code embedding}, little-endian float32 in base64, {@code
 * embedding_given} when the caller gave it, and {@code history}), {@code relationship}, {@code
 * context_group} (with {@code members}). Field names are the protocol's. Ids of relationships and
 * groups are not exported: they are the file's own row numbers, and a group is known by its unique
 * name.
 */
public final class Transfer {
  static final int FORMAT_VERSION = 1;
  private static final int BATCH = 1_000;
  private static final int PROGRESS_EVERY = 1_000;

  private final Database database;
  private final VectorStorage vectors;
  private final String modelId;
  private final int dimension;

  /** The checks that create runs; an imported record passes the same ones. */
  private final Validator validator;

  public Transfer(
      Database database,
      VectorStorage vectors,
      String modelId,
      int dimension,
      Validator validator) {
    this.database = database;
    this.vectors = vectors;
    this.modelId = modelId;
    this.dimension = dimension;
    this.validator = validator;
  }

  // Export

  public TransferReport export(Writer out, LongConsumer progress) {
    return database.read(
        connection -> {
          try {
            return export(connection, out, progress);
          } catch (IOException e) {
            throw failure(e);
          }
        });
  }

  private TransferReport export(Connection connection, Writer out, LongConsumer progress)
      throws IOException {
    long[] written = new long[1];
    ObjectNode header = Json.MAPPER.createObjectNode();
    header.put("kind", "header");
    header.put("format", "memstore-jsonl");
    header.put("format_version", FORMAT_VERSION);
    header.put("embedding_model", modelId);
    header.put("embedding_dimension", dimension);
    line(out, header, written, progress);
    long sessions = 0;
    for (ObjectNode session :
        Sql.query(
            connection,
            "select * from sessions order by created_at, id",
            row -> {
              ObjectNode node = Json.MAPPER.createObjectNode();
              node.put("kind", "session");
              node.put("session_id", row.getString("id"));
              node.put("user_id", row.getString("user_id"));
              node.put("session_type", row.getString("session_type"));
              node.set(
                  "session_metadata",
                  Json.MAPPER.valueToTree(Json.readObject(row.getString("metadata"))));
              node.put(
                  "created_at",
                  Json.formatInstant(Instant.ofEpochMilli(row.getLong("created_at"))));
              long ended = row.getLong("ended_at");
              node.put(
                  "ended_at",
                  row.wasNull() ? null : Json.formatInstant(Instant.ofEpochMilli(ended)));
              node.put("summary", row.getString("summary"));
              node.put("archived", row.getInt("archived") != 0);
              return node;
            })) {
      line(out, session, written, progress);
      sessions++;
    }
    // Parents before children, then by id: an order of the contents alone.
    List<MemoryQueries.Row> rows =
        Sql.query(
            connection,
            "with recursive depth (id, level) as ("
                + " select id, 0 from memories where parent_id is null"
                + " union all"
                + " select m.id, depth.level + 1 from memories m join depth on m.parent_id = depth.id)"
                + " select "
                + MemoryQueries.COLUMNS_SEALED_UNOPENED
                + " from memories m join depth d on d.id = m.id order by d.level, m.id",
            MemoryQueries::mapRow);
    long memories = 0;
    for (MemoryQueries.Row row : rows) {
      ObjectNode node = memory(row.memory());
      SealedRecords.putContentAndEmbedding(connection, row, node);
      ArrayNode history = node.putArray("history");
      for (HistoryEntry entry : HistoryQueries.list(connection, row.memory().id())) {
        ObjectNode item = history.addObject();
        item.put("action", entry.action().wireName());
        item.put("at", Json.formatInstant(entry.at()));
        item.set("changes", WireFormat.changes(entry.changes()));
      }
      line(out, node, written, progress);
      memories++;
    }
    long relationships = 0;
    for (ObjectNode relationship :
        Sql.query(
            connection,
            "select * from relationships order by source_id, target_id, type",
            row -> {
              ObjectNode node = Json.MAPPER.createObjectNode();
              node.put("kind", "relationship");
              node.put("source_id", row.getString("source_id"));
              node.put("target_id", row.getString("target_id"));
              node.put("relationship_type", row.getString("type"));
              node.put("strength", row.getDouble("strength"));
              node.put(
                  "created_at",
                  Json.formatInstant(Instant.ofEpochMilli(row.getLong("created_at"))));
              return node;
            })) {
      line(out, relationship, written, progress);
      relationships++;
    }
    long groups = 0;
    for (Object[] group :
        Sql.query(
            connection,
            "select id, name, description, created_at from context_groups order by name",
            row ->
                new Object[] {
                  row.getLong(1), row.getString(2), row.getString(3), row.getLong(4)
                })) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("kind", "context_group");
      node.put("name", (String) group[1]);
      node.put("description", (String) group[2]);
      node.put("created_at", Json.formatInstant(Instant.ofEpochMilli((Long) group[3])));
      ArrayNode members = node.putArray("members");
      Sql.query(
          connection,
          "select memory_id, added_at from context_group_members where group_id = ? order by memory_id",
          row -> {
            members
                .addObject()
                .put("memory_id", row.getString(1))
                .put("added_at", Json.formatInstant(Instant.ofEpochMilli(row.getLong(2))));
            return null;
          },
          group[0]);
      line(out, node, written, progress);
      groups++;
    }
    out.flush();
    progress.accept(written[0]);
    return new TransferReport(sessions, memories, relationships, groups, List.of(), 0);
  }

  /** A memory as the protocol writes it, marked as a memory record. */
  private static ObjectNode memory(Memory memory) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("kind", "memory");
    node.setAll(WireFormat.memory(memory));
    return node;
  }

  private static void line(Writer out, JsonNode node, long[] written, LongConsumer progress)
      throws IOException {
    out.write(Json.write(node));
    out.write('\n');
    if (++written[0] % PROGRESS_EVERY == 0) {
      progress.accept(written[0]);
    }
  }

  // Import

  /** One checked record, ready to write. */
  private sealed interface Record {}

  private record SessionRecord(
      String id,
      String userId,
      String type,
      String metadata,
      long createdAt,
      Long endedAt,
      String summary,
      boolean archived)
      implements Record {}

  private record MemoryRecord(
      Memory memory,
      byte[] vector,
      boolean vectorGiven,
      List<HistoryEntry> history,
      SealedRecords.Sealed sealed)
      implements Record {}

  private record RelationshipRecord(
      String sourceId, String targetId, String type, double strength, long createdAt)
      implements Record {}

  private record GroupRecord(
      String name, String description, long createdAt, Map<String, Long> members)
      implements Record {}

  /** What the records of the file so far define, for references of later lines. */
  private static final class Known {
    final Set<String> sessions = new HashSet<>();
    final Set<String> memories = new HashSet<>();
    final Set<String> groups = new HashSet<>();
    final Set<String> relationships = new HashSet<>();

    /** The store's forgotten memories, which the import refuses. */
    Tombstoned forgotten;

    /** The dimension the header gives the export's vectors, or null. */
    Integer dimension;
  }

  /**
   * Reads an export; memories forgotten in this store (by id, or by content key when created before
   * the forget) are refused unless {@code allowForgotten}, and then their tombstones dropped.
   */
  public TransferReport importFrom(
      Reader in, boolean skipBadLines, boolean allowForgotten, LongConsumer progress) {
    List<Record> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Known known = new Known();
    known.forgotten = new Tombstoned(database, allowForgotten);
    String exportModel = null;
    Integer exportDimension = null;
    try (BufferedReader reader = new BufferedReader(in)) {
      int number = 0;
      while (true) {
        number++;
        try {
          String text = boundedLine(reader);
          if (text == null) {
            break;
          }
          if (text.isBlank()) {
            continue;
          }
          JsonNode node = parse(text);
          String kind = requiredText(node, "kind");
          if (kind.equals("header")) {
            if (number != 1) {
              throw new IllegalArgumentException("a header must be the first line");
            }
            if (node.path("format_version").asInt(-1) != FORMAT_VERSION) {
              throw new IllegalArgumentException(
                  "format_version must be "
                      + FORMAT_VERSION
                      + ", was "
                      + node.get("format_version"));
            }
            exportModel =
                node.path("embedding_model").isTextual()
                    ? node.get("embedding_model").textValue()
                    : null;
            exportDimension =
                node.path("embedding_dimension").isInt()
                    ? node.get("embedding_dimension").intValue()
                    : null;
            if (exportDimension != null && (exportDimension < 1 || exportDimension > 65_536)) {
              throw new IllegalArgumentException(
                  "embedding_dimension must be between 1 and 65536, was " + exportDimension);
            }
            known.dimension = exportDimension;
            continue;
          }
          Record record = check(node, kind, known);
          if (record != null) {
            records.add(record);
          }
        } catch (DateTimeException | ArithmeticException e) {
          // A time beyond what the store keeps (milliseconds since 1970 in a long).
          String problem = "line " + number + ": a time is out of range";
          if (!skipBadLines) {
            throw new ValidationException(
                "line", problem + "; nothing was imported (skip bad lines to import the rest)");
          }
          problems.add(problem);
        } catch (IllegalArgumentException | ValidationException | InvalidRequestException e) {
          String problem = "line " + number + ": " + e.getMessage();
          if (!skipBadLines) {
            throw new ValidationException(
                "line", problem + "; nothing was imported (skip bad lines to import the rest)");
          }
          problems.add(problem);
        }
      }
    } catch (IOException e) {
      throw new StorageException("reading the import failed: " + e.getMessage(), e);
    }
    boolean keepVectors =
        exportModel != null
            && exportModel.equals(modelId)
            && exportDimension != null
            && exportDimension == dimension;
    return write(records, problems, keepVectors, progress, known);
  }

  /**
   * Parses a line with the protocol's input rules (size, nesting, duplicate keys, unpaired
   * surrogates), so an import accepts nothing that a request could not carry.
   */
  private static JsonNode parse(String text) {
    JsonNode node = Json.readInput(text, "the line", "line");
    if (!node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node;
  }

  /**
   * Reads a line like {@link BufferedReader#readLine()}, but holds at most {@link
   * Json#MAX_LINE_BYTES} characters of it: a longer line is read past and refused, so one huge line
   * cannot exhaust the heap.
   *
   * @throws InvalidRequestException after reading past a line that is too long
   */
  private static String boundedLine(BufferedReader reader) throws IOException {
    StringBuilder line = new StringBuilder();
    boolean tooLong = false;
    int next = reader.read();
    if (next < 0) {
      return null;
    }
    while (next >= 0 && next != '\n') {
      if (!tooLong) {
        line.append((char) next);
        tooLong = line.length() > Json.MAX_LINE_BYTES;
      }
      next = reader.read();
    }
    if (tooLong) {
      throw new InvalidRequestException(
          "the line is longer than the limit of " + Json.MAX_LINE_BYTES + " bytes");
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }

  private Record check(JsonNode node, String kind, Known known) {
    return switch (kind) {
      case "session" -> {
        String id = requiredText(node, "session_id");
        Validator.sessionId("session_id", id);
        if (!known.sessions.add(id) || exists("select count(*) from sessions where id = ?", id)) {
          throw new IllegalArgumentException("session " + id + " already exists");
        }
        JsonNode metadata = node.path("session_metadata");
        String sessionType = validator.name("session_type", requiredText(node, "session_type"));
        if (sessionType == null) {
          throw new IllegalArgumentException("missing session_type");
        }
        long createdAt = instant(node, "created_at", true);
        Long endedAt = nullableInstant(node, "ended_at");
        if (endedAt != null && endedAt < createdAt) {
          throw new IllegalArgumentException("ended_at is before created_at");
        }
        String summary = optionalText(node, "summary");
        String userId = validator.name("user_id", optionalText(node, "user_id"));
        summary = known.forgotten.sessionSummary(summary, userId, id, createdAt);
        yield new SessionRecord(
            id,
            userId,
            sessionType,
            metadata.isObject() ? validator.metadata(Json.toObject(metadata)) : "{}",
            createdAt,
            endedAt,
            summary == null ? null : validator.content("summary", summary),
            node.path("archived").asBoolean(false));
      }
      case "memory" -> checkMemory(node, known);
      case "relationship" -> {
        String source = requiredText(node, "source_id");
        String target = requiredText(node, "target_id");
        String type = Validator.relationshipType(requiredText(node, "relationship_type"));
        Validator.memoryId("source_id", source);
        Validator.memoryId("target_id", target);
        if (source.equals(target)) {
          throw new ValidationException("target_id", "a memory cannot be related to itself");
        }
        if (known.forgotten.refusesReference(source) || known.forgotten.refusesReference(target)) {
          yield null;
        }
        for (String id : List.of(source, target)) {
          requireMemory(id, known);
        }
        if (!known.relationships.add(source + "\u0000" + target + "\u0000" + type)
            || exists(
                "select count(*) from relationships where source_id = ? and target_id = ? and type = ?",
                source,
                target,
                type)) {
          throw new IllegalArgumentException("the relationship already exists");
        }
        double strength =
            Validator.strength(
                node.path("strength").isNumber() ? node.get("strength").doubleValue() : -1);
        yield new RelationshipRecord(
            source, target, type, strength, instant(node, "created_at", true));
      }
      case "context_group" -> {
        String name = validator.name("name", requiredText(node, "name"));
        if (name == null) {
          throw new IllegalArgumentException("missing name");
        }
        String description = optionalText(node, "description");
        if (description != null) {
          validator.content("description", description);
        }
        if (!known.groups.add(name)
            || exists("select count(*) from context_groups where name = ?", name)) {
          throw new IllegalArgumentException("context group '" + name + "' already exists");
        }
        Map<String, Long> members = new LinkedHashMap<>();
        for (JsonNode member : node.path("members")) {
          String id = Validator.memoryId("memory_id", requiredText(member, "memory_id"));
          if (known.forgotten.refusesReference(id)) {
            continue;
          }
          requireMemory(id, known);
          members.put(id, instant(member, "added_at", true));
        }
        yield new GroupRecord(name, description, instant(node, "created_at", true), members);
      }
      default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
    };
  }

  private MemoryRecord checkMemory(JsonNode node, Known known) {
    String id = requiredText(node, "memory_id");
    Validator.memoryId("memory_id", id);
    if (known.memories.contains(id) || exists("select count(*) from memories where id = ?", id)) {
      throw new IllegalArgumentException("memory " + id + " already exists");
    }
    JsonNode content = node.path("content");
    SealedRecords.Sealed sealed = SealedRecords.sealed(database, node);
    String text = sealed != null ? "" : validator.content("content", requiredText(content, "text"));
    MemoryType type =
        MemoryType.fromName(requiredText(node, "memory_type"))
            .orElseThrow(() -> new IllegalArgumentException("unknown memory_type"));
    MemoryTier tier =
        MemoryTier.fromName(requiredText(node, "memory_tier"))
            .orElseThrow(() -> new IllegalArgumentException("unknown memory_tier"));
    // Numbers only: a text such as "NaN" would otherwise read as a number.
    double importance =
        validator.importance(
            node.path("importance").isNumber() ? node.get("importance").doubleValue() : -1);
    int priority =
        validator.priority(
            node.path("priority").isIntegralNumber() && node.get("priority").canConvertToInt()
                ? node.get("priority").intValue()
                : 0);
    String parent = optionalText(node, "parent_id");
    if (parent != null) {
      Validator.memoryId("parent_id", parent);
      if (parent.equals(id)) {
        throw new ValidationException("parent_id", "a memory cannot be its own parent");
      }
      if (known.forgotten.refusesReference(parent)) {
        // As the forget left the children of a forgotten memory: without a parent.
        parent = null;
      } else {
        requireMemory(parent, known);
      }
    }
    String session = optionalText(node, "session_id");
    if (session != null) {
      Validator.sessionId("session_id", session);
    }
    if (session != null
        && !known.sessions.contains(session)
        && !exists("select count(*) from sessions where id = ?", session)) {
      throw new IllegalArgumentException(
          "session " + session + " is neither in the file before this line nor in the store");
    }
    JsonNode metadata = content.path("metadata");
    if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
      throw new IllegalArgumentException("metadata must be a JSON object");
    }
    Map<String, Object> metadataMap = metadata.isObject() ? Json.toObject(metadata) : Map.of();
    validator.metadata(metadataMap);
    List<String> tags = new ArrayList<>();
    if (!node.path("tags").isMissingNode()
        && !node.path("tags").isNull()
        && !node.path("tags").isArray()) {
      throw new IllegalArgumentException("tags must be a list of strings");
    }
    for (JsonNode tag : node.path("tags")) {
      if (!tag.isTextual()) {
        throw new IllegalArgumentException("tags must be strings");
      }
      tags.add(tag.textValue());
    }
    tags = validator.tags(tags);
    JsonNode ttlNode = node.path("ttl");
    if (!ttlNode.isMissingNode() && !ttlNode.isNull() && !ttlNode.isIntegralNumber()) {
      throw new IllegalArgumentException("ttl must be a whole number of seconds");
    }
    Long ttl = ttlNode.isIntegralNumber() ? ttlNode.longValue() : null;
    if (ttl != null) {
      validator.ttlSeconds(Duration.ofSeconds(ttl));
    }
    JsonNode accessCount = node.path("access_count");
    if (!accessCount.isMissingNode()
        && !accessCount.isNull()
        && !(accessCount.isIntegralNumber() && accessCount.canConvertToLong())) {
      throw new IllegalArgumentException("access_count must be a whole number");
    }
    if (accessCount.asLong(0) < 0) {
      throw new ValidationException(
          "access_count", "access_count must not be negative, was " + accessCount.asLong(0));
    }
    long createdAt = instant(node, "created_at", true);
    long updatedAt = instant(node, "updated_at", true);
    if (updatedAt < createdAt) {
      throw new IllegalArgumentException("updated_at is before created_at");
    }
    Memory memory =
        Memory.builder()
            .id(id)
            .type(type)
            .tier(tier)
            .content(text)
            .sourceAgent(validator.name("source_agent", optionalText(content, "source_agent")))
            .metadata(metadataMap)
            .tags(tags)
            .importance(importance)
            .priority(priority)
            .ttl(ttl == null ? null : Duration.ofSeconds(ttl))
            .expiresAt(instantOrNull(node, "expires_at"))
            .createdAt(Instant.ofEpochMilli(createdAt))
            .updatedAt(Instant.ofEpochMilli(updatedAt))
            .lastAccessedAt(instantOrNull(node, "last_accessed_at"))
            .accessCount(accessCount.asLong(0))
            .parentId(parent)
            .sessionId(session)
            .userId(validator.name("user_id", optionalText(node, "user_id")))
            .agentId(validator.name("agent_id", optionalText(node, "agent_id")))
            .pinned(node.path("pinned").asBoolean(false))
            .archivedAt(instantOrNull(node, "archived_at"))
            .sensitive(sealed != null)
            .factKey(Validator.factKey(optionalText(node, "fact_key")))
            .validFrom(instantOrNull(node, "valid_from"))
            .validTo(instantOrNull(node, "valid_to"))
            .supersededBy(optionalText(node, "superseded_by"))
            .build();
    Facts.checkImported(memory);
    byte[] vector = null;
    if (node.path("embedding").isTextual()) {
      try {
        vector = Base64.getDecoder().decode(node.get("embedding").textValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("embedding is not base64");
      }
      if (vector.length % Float.BYTES != 0 || vector.length == 0) {
        throw new IllegalArgumentException("embedding is not a list of float32");
      }
      float[] values = new float[vector.length / Float.BYTES];
      ByteBuffer.wrap(vector).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      // The header's dimension, which every vector of the export has; the store's own when the
      // file has no header.
      Validator.embedding(values, known.dimension != null ? known.dimension : dimension);
    } else if (!node.path("embedding").isMissingNode() && !node.path("embedding").isNull()) {
      throw new IllegalArgumentException("embedding must be base64 text");
    }
    List<HistoryEntry> history = new ArrayList<>();
    for (JsonNode entry : node.path("history")) {
      HistoryEntry.Action action;
      try {
        action =
            HistoryEntry.Action.valueOf(requiredText(entry, "action").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown history action " + entry.get("action"));
      }
      Map<String, HistoryEntry.Change> changes = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> change : entry.path("changes").properties()) {
        changes.put(
            change.getKey(),
            new HistoryEntry.Change(
                Json.MAPPER.convertValue(change.getValue().get("from"), Object.class),
                Json.MAPPER.convertValue(change.getValue().get("to"), Object.class)));
      }
      history.add(
          new HistoryEntry(
              0, id, action, Instant.ofEpochMilli(instant(entry, "at", true)), changes));
    }
    if (known.forgotten.refuses(memory)) {
      return null;
    }
    known.memories.add(id);
    return new MemoryRecord(memory, vector, SealedRecords.given(node), history, sealed);
  }

  private void requireMemory(String id, Known known) {
    if (!known.memories.contains(id) && !exists("select count(*) from memories where id = ?", id)) {
      throw new IllegalArgumentException(
          "memory " + id + " is neither in the file before this line nor in the store");
    }
  }

  private boolean exists(String sql, Object... parameters) {
    return database.read(connection -> Sql.queryLong(connection, sql, parameters)) > 0;
  }

  private TransferReport write(
      List<Record> records,
      List<String> problems,
      boolean keepVectors,
      LongConsumer progress,
      Known known) {
    long[] counts = new long[5];
    for (int from = 0; from < records.size(); from += BATCH) {
      List<Record> batch = records.subList(from, Math.min(records.size(), from + BATCH));
      database.write(
          connection -> {
            writeBatch(connection, batch, keepVectors, counts);
            return null;
          });
      progress.accept(Math.min(records.size(), from + BATCH));
    }
    known.forgotten.dropAllowed(database);
    return new TransferReport(
        counts[0], counts[1], counts[2], counts[3], problems, counts[4], known.forgotten.refused());
  }

  private void writeBatch(
      Connection connection, List<Record> batch, boolean keepVectors, long[] counts) {
    List<MemoryRecord> memories = new ArrayList<>();
    Map<String, Long> groupIds = new HashMap<>();
    for (Record record : batch) {
      if (!(record instanceof MemoryRecord) && !memories.isEmpty()) {
        insertMemories(connection, memories, keepVectors, counts);
        memories.clear();
      }
      if (record instanceof SessionRecord session) {
        Sql.update(
            connection,
            """
            insert into sessions (id, user_id, session_type, metadata, created_at, ended_at, summary, archived)
            values (?, ?, ?, ?, ?, ?, ?, ?)""",
            session.id(),
            session.userId(),
            session.type(),
            session.metadata(),
            session.createdAt(),
            session.endedAt(),
            session.summary(),
            session.archived());
        counts[0]++;
      } else if (record instanceof MemoryRecord memory) {
        memories.add(memory);
      } else if (record instanceof RelationshipRecord link) {
        Sql.update(
            connection,
            "insert into relationships (source_id, target_id, type, strength, created_at) values (?, ?, ?, ?, ?)",
            link.sourceId(),
            link.targetId(),
            link.type(),
            link.strength(),
            link.createdAt());
        counts[2]++;
      } else if (record instanceof GroupRecord group) {
        Sql.update(
            connection,
            "insert into context_groups (name, description, created_at) values (?, ?, ?)",
            group.name(),
            group.description(),
            group.createdAt());
        long groupId =
            groupIds.computeIfAbsent(
                group.name(),
                name ->
                    Sql.queryLong(
                        connection, "select id from context_groups where name = ?", name));
        group
            .members()
            .forEach(
                (memoryId, addedAt) ->
                    Sql.update(
                        connection,
                        "insert into context_group_members (group_id, memory_id, added_at) values (?, ?, ?)",
                        groupId,
                        memoryId,
                        addedAt));
        counts[3]++;
      }
    }
    if (!memories.isEmpty()) {
      insertMemories(connection, memories, keepVectors, counts);
    }
  }

  private void insertMemories(
      Connection connection, List<MemoryRecord> records, boolean keepVectors, long[] counts) {
    long firstSeq = MemoryQueries.nextSeq(connection);
    List<Memory> memories = records.stream().map(MemoryRecord::memory).toList();
    MemoryQueries.insertAll(
        connection,
        firstSeq,
        memories,
        memories.stream().map(ContentKeys::of).toList(),
        records.stream().map(record -> SealedRecords.content(record.sealed())).toList());
    List<float[]> vectorList = new ArrayList<>(records.size());
    BitSet given = new BitSet(records.size());
    for (int index = 0; index < records.size(); index++) {
      MemoryRecord record = records.get(index);
      float[] vector = null;
      given.set(index, record.vectorGiven());
      if (keepVectors && record.sealed() != null && record.sealed().vector() != null) {
        vectors.writeSealedAsIs(
            connection, firstSeq + index, record.sealed().vector(), record.vectorGiven());
      } else if (keepVectors
          && record.vector() != null
          && record.vector().length == dimension * Float.BYTES) {
        vector = new float[dimension];
        ByteBuffer.wrap(record.vector()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
      } else {
        counts[4]++;
      }
      vectorList.add(vector);
      for (HistoryEntry entry : record.history()) {
        HistoryQueries.add(
            connection, entry.memoryId(), entry.action(), entry.at(), entry.changes());
      }
    }
    vectors.writeNew(connection, firstSeq, vectorList, given);
    counts[1] += records.size();
  }

  private static StorageException failure(IOException e) {
    return new StorageException("writing the export failed: " + e.getMessage(), e);
  }
}
