package dev.memstore.durability;

import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * A host process that opens a store with the defaults, creates and searches (which loads the
 * bundled model), and closes it, for the test of what the library leaves in its host. It prints
 * nothing when every system property is as it found it; otherwise one line per changed property.
 * Argument: a database file.
 */
public final class FootprintProbe {
  private FootprintProbe() {}

  public static void main(String[] arguments) {
    // The JDK records the default time zone in user.timezone the first time any code asks for it,
    // as every host does; that is the JDK's doing, not memstore's.
    TimeZone.getDefault();
    Map<String, String> before = properties();
    try (MemoryStore store = MemoryStore.open(Path.of(arguments[0]))) {
      store.create(NewMemory.of("The user drinks an espresso every morning"));
      store.create(NewMemory.of("Sam's birthday is on March 15th"));
      if (store.search(SearchQuery.of("coffee habits")).hits().isEmpty()) {
        System.out.println("no hits");
      }
    }
    Map<String, String> after = properties();
    TreeMap<String, String> keys = new TreeMap<>(before);
    keys.putAll(after);
    for (String key : keys.keySet()) {
      if (!Objects.equals(before.get(key), after.get(key))) {
        System.out.println(
            "system property " + key + ": " + before.get(key) + " -> " + after.get(key));
      }
    }
  }

  private static Map<String, String> properties() {
    Properties properties = System.getProperties();
    Map<String, String> copy = new TreeMap<>();
    for (String name : properties.stringPropertyNames()) {
      copy.put(name, properties.getProperty(name));
    }
    return copy;
  }
}
