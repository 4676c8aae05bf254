package dev.memstore.cli;

import dev.memstore.ErrorCode;
import dev.memstore.MemoryStore;
import dev.memstore.internal.json.BoundedLineReader;
import dev.memstore.internal.json.Json;
import dev.memstore.internal.protocol.ProtocolHandler;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
      "Answers JSON protocol requests, one per line, until the input ends.",
      "Reads one request per line from standard input and writes one response line for each to"
          + " standard output. Blank lines are skipped; a bad request gets an error response and"
          + " does not stop exec. A line longer than 16 MiB or not valid UTF-8 is skipped and"
          + " answered with invalid_request."
    })
final class ExecCommand extends StoreCommand {
  @Override
  public Integer call() throws IOException {
    PrintWriter out = out();
    // Bounded and strict: a huge line is skipped as it streams past instead of filling the heap,
    // and bytes that are not UTF-8 are refused instead of becoming U+FFFD.
    BoundedLineReader requests = new BoundedLineReader(memctl().input(), Json.MAX_LINE_BYTES);
    try (MemoryStore store = open(Access.CREATE)) {
      ProtocolHandler protocol = new ProtocolHandler(store);
      long answered = 0;
      BoundedLineReader.Line line;
      while ((line = requests.readLine()) != null) {
        String response;
        if (line.problem() != null) {
          response =
              protocol.refuse(
                  ErrorCode.INVALID_REQUEST,
                  "request line " + line.number() + ": " + line.problem());
        } else if (line.text().isBlank()) {
          continue;
        } else {
          response = protocol.handle(line.text());
        }
        // "\n", not the platform's separator: the output is a protocol stream, not text.
        out.print(response + "\n");
        out.flush();
        if (out.checkError()) {
          throw new CliException(
              ExitCodes.ERROR,
              "standard output was closed; stopped after " + answered + " responses");
        }
        answered++;
      }
    }
    return ExitCodes.OK;
  }
}
