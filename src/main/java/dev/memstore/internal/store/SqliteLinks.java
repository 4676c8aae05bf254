package dev.memstore.internal.store;

import dev.memstore.Links;
import dev.memstore.Memory;
import dev.memstore.MemoryNotFoundException;
import dev.memstore.RelatedMemory;
import dev.memstore.Relationship;
import dev.memstore.ValidationException;
import dev.memstore.internal.storage.Database;
import dev.memstore.internal.storage.LinkQueries;
import dev.memstore.internal.storage.MemoryQueries;
import dev.memstore.internal.write.MemoryWrites;
import dev.memstore.internal.write.Validator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The store's relationships: checks arguments, then one transaction each. Thread-safe. */
final class SqliteLinks implements Links {
  private final Database database;
  private final MemoryWrites writes;

  SqliteLinks(Database database, MemoryWrites writes) {
    this.database = database;
    this.writes = writes;
  }

  @Override
  public Relationship add(String sourceId, String targetId, String type, double strength) {
    Validator.memoryId("source_id", sourceId);
    Validator.memoryId("target_id", targetId);
    Validator.relationshipType(type);
    Validator.strength(strength);
    if (sourceId.equals(targetId)) {
      throw new ValidationException("target_id", "a memory cannot be related to itself");
    }
    return database.write(
        connection -> {
          long now = writes.now().toEpochMilli();
          List<String> missing = new ArrayList<>();
          for (String id : List.of(sourceId, targetId)) {
            if (MemoryQueries.find(connection, id, now) == null) {
              missing.add(id);
            }
          }
          if (!missing.isEmpty()) {
            throw new MemoryNotFoundException(missing);
          }
          return LinkQueries.putRelationship(connection, sourceId, targetId, type, strength, now);
        });
  }

  @Override
  public List<RelatedMemory> related(String memoryId, String typeOrNull) {
    Validator.memoryId("memory_id", memoryId);
    if (typeOrNull != null) {
      Validator.relationshipType(typeOrNull);
    }
    long now = writes.now().toEpochMilli();
    return database.read(
        connection -> {
          if (MemoryQueries.find(connection, memoryId, now) == null) {
            throw new MemoryNotFoundException(memoryId);
          }
          List<Relationship> links = LinkQueries.relationshipsOf(connection, memoryId, typeOrNull);
          Function<Relationship, String> other =
              link -> link.sourceId().equals(memoryId) ? link.targetId() : link.sourceId();
          Map<String, Memory> memories = new HashMap<>();
          MemoryQueries.findAll(connection, links.stream().map(other).toList(), now)
              .forEach(
                  row ->
                      memories.put(
                          row.memory().id(), writes.accessLog().withPending(row.memory())));
          List<RelatedMemory> related = new ArrayList<>();
          for (Relationship link : links) {
            Memory memory = memories.get(other.apply(link));
            if (memory != null) {
              related.add(new RelatedMemory(memory, link, link.sourceId().equals(memoryId)));
            }
          }
          return related;
        });
  }

  @Override
  public boolean remove(long relationshipId) {
    return database.write(connection -> LinkQueries.removeRelationship(connection, relationshipId));
  }
}
