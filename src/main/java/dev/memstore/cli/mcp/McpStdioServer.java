package dev.memstore.cli.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.MemoryStore;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Serves a store's memories to one MCP client over a pair of streams until the client closes its
 * end. Everything written to the output stream is a protocol message.
 */
public final class McpStdioServer {
  // How long the output must stay quiet after the input ended, and the most time to wait for it.
  private static final Duration QUIET = Duration.ofMillis(200);
  private static final Duration MAX_DRAIN = Duration.ofSeconds(10);

  private McpStdioServer() {}

  /**
   * Serves the store's tools over these streams and returns when the input ends (the client closed
   * it or exited); the caller closes the store.
   *
   * @throws NoClassDefFoundError when the MCP SDK is not on the class path
   */
  public static void serve(MemoryStore store, InputStream in, OutputStream out, String version) {
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    CountDownLatch inputEnded = new CountDownLatch(1);
    TimedOutput output = new TimedOutput(out);
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(
            mapper, new EndWatchingInput(in, inputEnded, output), output);
    MemoryTools tools = new MemoryTools(store);
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo("memstore", version)
            .jsonMapper(mapper)
            .instructions(MemoryTools.INSTRUCTIONS)
            .capabilities(ServerCapabilities.builder().tools(false).build())
            // The tools check their arguments themselves, to fail with memstore's error codes.
            .validateToolInputs(false)
            .jsonSchemaValidator(tools.validator())
            // One call at a time, in the order sent: a recall sent after a remember sees it, and
            // the store has one writer anyway.
            .immediateExecution(true)
            .tools(tools.specifications())
            .build();
    try {
      inputEnded.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.closeGracefully();
    }
  }

  /** The output, with the time of its last write. */
  private static final class TimedOutput extends FilterOutputStream {
    private volatile long lastWrite = System.nanoTime();

    TimedOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int value) throws IOException {
      out.write(value);
      lastWrite = System.nanoTime();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      lastWrite = System.nanoTime();
    }

    /**
     * Waits until nothing was written for a while, at most a few seconds: the answers to the last
     * requests are queued, not yet written, when the input ends.
     */
    void awaitQuiet() {
      long deadline = System.nanoTime() + MAX_DRAIN.toNanos();
      long start = System.nanoTime();
      try {
        while (System.nanoTime() < deadline) {
          Thread.sleep(QUIET.toMillis() / 2);
          long now = System.nanoTime();
          if (now - start >= QUIET.toNanos() && now - lastWrite >= QUIET.toNanos()) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Standard input that says when it has ended, since the SDK's transport does not; and that holds
   * the end back until the answers to the last requests are written, since the transport drops what
   * it has not written yet when its input ends (a client that pipes its requests in and closes its
   * end at once would miss the last answers).
   */
  private static final class EndWatchingInput extends FilterInputStream {
    private final CountDownLatch ended;
    private final TimedOutput output;

    EndWatchingInput(InputStream in, CountDownLatch ended, TimedOutput output) {
      super(in);
      this.ended = ended;
      this.output = output;
    }

    @Override
    public int read() throws IOException {
      return watch(() -> super.read());
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return watch(() -> super.read(bytes, offset, length));
    }

    @Override
    public void close() throws IOException {
      ended.countDown();
      super.close();
    }

    private int watch(Read read) throws IOException {
      try {
        int result = read.run();
        if (result < 0) {
          output.awaitQuiet();
          ended.countDown();
        }
        return result;
      } catch (IOException e) {
        ended.countDown();
        throw e;
      }
    }

    @FunctionalInterface
    private interface Read {
      int run() throws IOException;
    }
  }
}
