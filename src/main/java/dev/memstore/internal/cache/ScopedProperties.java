package dev.memstore.internal.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * System properties set only while a dependency reads them, then put back as they were. sqlite-jdbc
 * and onnxruntime take the folder of their native library from a system property, once, when they
 * load it; memstore sets the property around that load and restores it right after, so that the
 * host process keeps its own settings. Another thread of the host that reads the same property
 * during those milliseconds sees memstore's value.
 */
public final class ScopedProperties {
  private static final Object LOCK = new Object();

  private ScopedProperties() {}

  /** Runs work with the properties set, restoring each to its previous value (or absence) after. */
  public static <T> T with(Map<String, String> properties, Callable<T> work) throws Exception {
    synchronized (LOCK) {
      Map<String, String> previous = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, String> property : properties.entrySet()) {
          previous.put(property.getKey(), System.getProperty(property.getKey()));
          System.setProperty(property.getKey(), property.getValue());
        }
        return work.call();
      } finally {
        for (Map.Entry<String, String> property : previous.entrySet()) {
          if (property.getValue() == null) {
            System.clearProperty(property.getKey());
          } else {
            System.setProperty(property.getKey(), property.getValue());
          }
        }
      }
    }
  }
}
