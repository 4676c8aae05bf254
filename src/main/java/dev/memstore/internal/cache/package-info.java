/**
 * The per-user cache folder where native libraries and bundled models are kept between processes,
 * verified before each use.
 */
package dev.memstore.internal.cache;
