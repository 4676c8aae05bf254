package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store's listeners hear what another store open on the same file did (another process, such as
 * memctl, writes through a store of its own in the same way), and hear their own store's changes
 * once.
 */
class OtherStoreEventsTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .startingAt(START)
          .withManualScheduler()
          .configure(
              builder ->
                  builder
                      .retention(RetentionPolicy.DEFAULT.withShortTermLifetime(Duration.ofDays(1)))
                      .maintenanceInterval(Duration.ZERO));

  private final MutableClock clock = stores.clock();

  /** A store without a model, or with the bundled one when {@code model} is not "none". */
  private MemoryStore open(String model) {
    return stores.useModel(model).open();
  }

  @Test
  void listener_hearsAnotherStoresChangesAndItsOwnOnce() throws InterruptedException {
    MemoryStore listening = open("none");
    MemoryStore other = open("none");
    List<MemoryEvent> events = new CopyOnWriteArrayList<>();
    listening.addListener(events::add);

    Memory kept = other.create(NewMemory.builder("the user's dog is called Rex").build());
    Memory removed = other.create(NewMemory.builder("a passing remark").build());
    Memory fleeting =
        other.create(NewMemory.builder("hello").type(MemoryType.CONVERSATION).build());
    Memory own = listening.create(NewMemory.of("written by the listening store"));
    List<MemoryEvent> stored =
        List.of(
            event(MemoryEvent.Type.STORED, kept),
            event(MemoryEvent.Type.STORED, removed),
            event(MemoryEvent.Type.STORED, fleeting));
    assertHeard(stored, events);

    other.update(kept.id(), MemoryUpdate.builder().importance(0.8).build());
    other.reinforce(kept.id(), 1.1);
    other.delete(removed.id(), false);
    clock.advance(Duration.ofDays(2));
    Instant maintained = clock.instant();
    assertEquals(1, other.lifecycle().runMaintenance().expired());
    List<MemoryEvent> expected = new ArrayList<>(stored);
    expected.addAll(
        List.of(
            event(MemoryEvent.Type.UPDATED, kept),
            event(MemoryEvent.Type.REINFORCED, kept),
            event(MemoryEvent.Type.DELETED, removed),
            event(MemoryEvent.Type.EXPIRED, fleeting)));
    List<MemoryEvent> heard = assertHeard(expected, events);
    assertEquals("expired", heard.get(6).details().get("reason"));
    assertEquals(maintained, heard.get(6).at());

    stores.scheduler().advance(Duration.ofSeconds(2)); // two more reads of the history
    // Events arrive in order: once this one is heard, anything heard twice would have been too.
    Memory last = other.create(NewMemory.of("the last write"));
    expected.add(event(MemoryEvent.Type.STORED, last));
    assertHeard(expected, events);
    List<MemoryEvent> ownEvents =
        events.stream().filter(event -> own.id().equals(event.memoryId())).toList();
    assertEquals(1, ownEvents.size(), ownEvents::toString);
    assertEquals(MemoryEvent.Type.STORED, ownEvents.get(0).type());
    assertNull(ownEvents.get(0).details().get("other_store"));
    assertEquals(expected.size(), fromOther(events).size(), "nothing heard twice");
  }

  @Test
  void listener_hearsAnotherStoresConsolidationAsTheSameEvents() throws InterruptedException {
    MemoryStore listening = open("all-minilm-l6-v2-q");
    MemoryStore other = open("all-minilm-l6-v2-q");
    Memory first = other.create(NewMemory.of("The user's sister lives in Lisbon."));
    Memory second = other.create(NewMemory.of("The user's sister lives in Lisbon, Portugal."));
    List<MemoryEvent> events = new CopyOnWriteArrayList<>();
    listening.addListener(events::add);

    ConsolidationReport report = other.lifecycle().consolidate(null, 0.8, false);
    assertEquals(1, report.groups().size(), report::toString);
    String keptId = report.groups().get(0).keptId();
    String mergedId = keptId.equals(first.id()) ? second.id() : first.id();

    List<MemoryEvent> heard =
        assertHeard(
            List.of(
                new MemoryEvent(MemoryEvent.Type.ARCHIVED, mergedId, START, java.util.Map.of()),
                new MemoryEvent(MemoryEvent.Type.CONSOLIDATED, keptId, START, java.util.Map.of())),
            events);
    assertEquals(mergedId, heard.get(0).memoryId());
    assertEquals(keptId, heard.get(0).details().get("consolidated_into"));
    assertEquals(keptId, heard.get(1).memoryId());
    assertEquals(List.of(mergedId), heard.get(1).details().get("merged_ids"));
  }

  /** Waits until the other store's events are as many as expected, then compares them. */
  private List<MemoryEvent> assertHeard(List<MemoryEvent> expected, List<MemoryEvent> events)
      throws InterruptedException {
    // The history is read once a second: the first read passes the events on; their delivery runs
    // on the listener's thread.
    stores.scheduler().advance(Duration.ofSeconds(1));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (fromOther(events).size() < expected.size() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    List<MemoryEvent> heard = fromOther(events);
    assertEquals(
        expected.stream().map(MemoryEvent::type).toList(),
        heard.stream().map(MemoryEvent::type).toList());
    assertEquals(
        expected.stream().map(MemoryEvent::memoryId).toList(),
        heard.stream().map(MemoryEvent::memoryId).toList());
    return heard;
  }

  private static MemoryEvent event(MemoryEvent.Type type, Memory memory) {
    return new MemoryEvent(type, memory.id(), START, java.util.Map.of());
  }

  private static List<MemoryEvent> fromOther(List<MemoryEvent> events) {
    return events.stream()
        .filter(event -> Boolean.TRUE.equals(event.details().get("other_store")))
        .toList();
  }
}
