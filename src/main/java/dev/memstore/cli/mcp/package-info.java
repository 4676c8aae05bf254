/**
 * {@code memctl mcp}: memstore as a Model Context Protocol server over standard input and output,
 * on the official MCP Java SDK. Its tools translate to the JSON protocol's actions, so that they
 * answer, check and fail as {@code memctl exec} does. The SDK is an optional dependency, shaded
 * into memctl's jar only: nothing outside this package refers to its types.
 */
package dev.memstore.cli.mcp;
