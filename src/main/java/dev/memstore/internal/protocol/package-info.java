/** Serves the JSON protocol: decodes requests and dispatches them to action groups. */
package dev.memstore.internal.protocol;
