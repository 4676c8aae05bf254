package dev.memstore;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Name lookup shared by the enums that accept aliases. */
final class NameIndex {
  private NameIndex() {}

  static <E extends Enum<E>> Map<String, E> of(E[] values, Function<E, Set<String>> aliases) {
    Map<String, E> index = new HashMap<>();
    for (E value : values) {
      index.put(normalize(value.name()), value);
      for (String alias : aliases.apply(value)) {
        index.put(normalize(alias), value);
      }
    }
    return Map.copyOf(index);
  }

  static String normalize(String name) {
    return name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
