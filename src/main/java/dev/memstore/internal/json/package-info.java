/** The JSON mapper and the wire shapes that the protocol, the CLI and exports share. */
package dev.memstore.internal.json;
