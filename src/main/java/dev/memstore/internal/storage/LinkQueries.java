package dev.memstore.internal.storage;

import dev.memstore.ContextGroup;
import dev.memstore.MemoryFilter;
import dev.memstore.Relationship;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The SQL of the links between memories: relationships, and context groups with their members.
 * Every function takes the connection of the transaction it runs in; none commits.
 */
public final class LinkQueries {
  private LinkQueries() {}

  /**
   * Adds a relationship, or gives an existing one of the same source, target and type the new
   * strength and time, and returns it as stored.
   */
  public static Relationship putRelationship(
      Connection connection,
      String sourceId,
      String targetId,
      String type,
      double strength,
      long now) {
    Sql.update(
        connection,
        """
        insert into relationships (source_id, target_id, type, strength, created_at) values (?, ?, ?, ?, ?)
        on conflict (source_id, target_id, type) do update set strength = excluded.strength,
          created_at = excluded.created_at""",
        sourceId,
        targetId,
        type,
        strength,
        now);
    return Sql.queryFirst(
        connection,
        "select * from relationships where source_id = ? and target_id = ? and type = ?",
        LinkQueries::mapRelationship,
        sourceId,
        targetId,
        type);
  }

  /**
   * Returns the relationships from or to a memory, of one type or of all when {@code typeOrNull} is
   * null, strongest first.
   */
  public static List<Relationship> relationshipsOf(
      Connection connection, String memoryId, String typeOrNull) {
    return Sql.query(
        connection,
        """
        select * from relationships where (source_id = ? or target_id = ?) and (? is null or type = ?)
        order by strength desc, id""",
        LinkQueries::mapRelationship,
        memoryId,
        memoryId,
        typeOrNull,
        typeOrNull);
  }

  /** Returns the relationship with the id, or null if there is none. */
  public static Relationship relationship(Connection connection, long relationshipId) {
    return Sql.queryFirst(
        connection,
        "select * from relationships where id = ?",
        LinkQueries::mapRelationship,
        relationshipId);
  }

  /** Removes a relationship and returns whether it existed. */
  public static boolean removeRelationship(Connection connection, long relationshipId) {
    return Sql.update(connection, "delete from relationships where id = ?", relationshipId) > 0;
  }

  private static Relationship mapRelationship(ResultSet row) throws SQLException {
    return new Relationship(
        row.getLong("id"),
        row.getString("source_id"),
        row.getString("target_id"),
        row.getString("type"),
        row.getDouble("strength"),
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  public static boolean groupNamed(Connection connection, String name) {
    return Sql.queryLong(connection, "select count(*) from context_groups where name = ?", name)
        > 0;
  }

  public static boolean groupExists(Connection connection, long groupId) {
    return Sql.queryLong(connection, "select count(*) from context_groups where id = ?", groupId)
        > 0;
  }

  /** Adds an empty context group and returns it. */
  public static ContextGroup insertGroup(
      Connection connection, String name, String descriptionOrNull, Instant now) {
    long id =
        Sql.insert(
            connection,
            "insert into context_groups (name, description, created_at) values (?, ?, ?)",
            name,
            descriptionOrNull,
            now.toEpochMilli());
    return new ContextGroup(id, name, descriptionOrNull, now, 0);
  }

  /** Returns every context group by name, each with its number of live members. */
  public static List<ContextGroup> groups(Connection connection, long now) {
    return Sql.query(
        connection,
        """
        select g.id, g.name, g.description, g.created_at,
          (select count(*) from context_group_members gm join memories m on m.id = gm.memory_id
           where gm.group_id = g.id and (m.expires_at is null or m.expires_at > ?)) as members
        from context_groups g order by g.name""",
        row ->
            new ContextGroup(
                row.getLong("id"),
                row.getString("name"),
                row.getString("description"),
                Instant.ofEpochMilli(row.getLong("created_at")),
                row.getLong("members")),
        now);
  }

  /**
   * Returns every context group by name as {@link #groups} does, each with its number of members
   * that the filter matches: what an agent whose scope is that filter may count.
   */
  public static List<ContextGroup> groupsWithin(
      Connection connection, MemoryFilter within, long now) {
    MemoryQueries.Where where = MemoryQueries.Where.of(within, now);
    return Sql.query(
        connection,
        "select g.id, g.name, g.description, g.created_at, (select count(*) from"
            + " context_group_members gm join memories m on m.id = gm.memory_id where gm.group_id"
            + " = g.id and "
            + where.sql()
            + ") as members from context_groups g order by g.name",
        row ->
            new ContextGroup(
                row.getLong("id"),
                row.getString("name"),
                row.getString("description"),
                Instant.ofEpochMilli(row.getLong("created_at")),
                row.getLong("members")),
        where.parameters().toArray());
  }

  /** Adds a memory to a group and returns whether it was not a member yet. */
  public static boolean addMember(Connection connection, long groupId, String memoryId, long now) {
    return Sql.update(
            connection,
            "insert or ignore into context_group_members (group_id, memory_id, added_at) values (?, ?, ?)",
            groupId,
            memoryId,
            now)
        > 0;
  }

  /** Removes a memory from a group and returns whether it was a member. */
  public static boolean removeMember(Connection connection, long groupId, String memoryId) {
    return Sql.update(
            connection,
            "delete from context_group_members where group_id = ? and memory_id = ?",
            groupId,
            memoryId)
        > 0;
  }
}
