/** Reads {@code memory_config.yaml} and durations as people write them. */
package dev.memstore.internal.config;
