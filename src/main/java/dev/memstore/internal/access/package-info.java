/**
 * Agents and what they may do: the store as seen by one agent, with its permissions, its
 * authentication and its rate limits.
 */
package dev.memstore.internal.access;
