/** The store's background threads: one scheduler and the search helpers, all stopped by close. */
package dev.memstore.internal.background;
