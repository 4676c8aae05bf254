package dev.memstore.cli;

import dev.memstore.MemoryStore;
import dev.memstore.cli.mcp.McpStdioServer;
import java.io.OutputStream;
import picocli.CommandLine.Command;

@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the store to an MCP client (Model Context Protocol) over standard input and output.",
      "Tools: remember, recall, get_context, list_memories, get_memory, forget; each with a JSON"
          + " schema. A bad argument is an invalid-params error whose message starts with the"
          + " error code (invalid_request, validation_error) and changes nothing. Standard output"
          + " carries only protocol messages. Runs until the client closes standard input. For a"
          + " client's config: command memctl, args [\"mcp\", \"--db\", \"/path/to/memory.db\"]."
    })
final class McpCommand extends StoreCommand {
  @Override
  public Integer call() {
    // Nothing may reach standard output but the protocol's messages: keep memctl's own writer
    // clean and hand the server the raw stream.
    out().flush();
    try (MemoryStore store = open(Access.CREATE)) {
      OutputStream protocolOutput = memctl().binaryOutput();
      serve(store, protocolOutput);
    }
    return ExitCodes.OK;
  }

  private void serve(MemoryStore store, OutputStream protocolOutput) {
    try {
      McpStdioServer.serve(store, memctl().input(), protocolOutput, ManifestVersion.version());
    } catch (NoClassDefFoundError missing) {
      throw new CliException(
          ExitCodes.ERROR,
          "memctl mcp needs the MCP Java SDK (io.modelcontextprotocol.sdk:mcp-core and"
              + " mcp-json-jackson2) on the class path; memctl's own jar includes it");
    }
  }
}
