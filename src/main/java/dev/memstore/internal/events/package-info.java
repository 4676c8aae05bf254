/** Delivers the store's change events to listeners, including changes other processes made. */
package dev.memstore.internal.events;
