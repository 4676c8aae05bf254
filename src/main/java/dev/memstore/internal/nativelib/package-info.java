/** Finds, verifies and loads the native libraries: sqlite-jdbc's and sqlite-vec. */
package dev.memstore.internal.nativelib;
