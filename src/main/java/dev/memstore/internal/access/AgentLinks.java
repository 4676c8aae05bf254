package dev.memstore.internal.access;

import dev.memstore.Links;
import dev.memstore.RelatedMemory;
import dev.memstore.Relationship;
import dev.memstore.internal.access.Guard.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** The relationships as one agent sees them: only between memories in its scope. Thread-safe. */
final class AgentLinks implements Links {
  private final Guard guard;
  private final Links links;

  AgentLinks(Guard guard, Links links) {
    this.guard = guard;
    this.links = links;
  }

  @Override
  public Relationship add(String sourceId, String targetId, String type, double strength) {
    return guard.run(
        "add_relationship",
        Kind.WRITE,
        Arrays.asList(sourceId, targetId),
        () -> links.add(sourceId, targetId, type, strength),
        relationship -> List.of(relationship.sourceId(), relationship.targetId()));
  }

  @Override
  public List<RelatedMemory> related(String memoryId, String typeOrNull) {
    return guard.run(
        "get_related_memories",
        Kind.READ,
        Collections.singletonList(memoryId),
        () -> {
          List<RelatedMemory> related = links.related(memoryId, typeOrNull);
          // A whole list, not a page: leaving out what lies outside the scope hides no total.
          return guard.unscoped()
              ? related
              : related.stream().filter(each -> guard.scope.contains(each.memory())).toList();
        },
        related -> related.stream().map(each -> each.memory().id()).toList());
  }

  @Override
  public boolean remove(long relationshipId) {
    List<String> ends = new ArrayList<>(2);
    return guard.run(
        "remove_relationship",
        Kind.WRITE,
        () -> {
          Relationship relationship = guard.reads.relationship(relationshipId);
          if (relationship != null) {
            ends.add(relationship.sourceId());
            ends.add(relationship.targetId());
            guard.requireInScope("remove_relationship", ends);
          }
          return links.remove(relationshipId);
        },
        removed -> ends);
  }
}
