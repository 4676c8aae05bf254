package dev.memstore.cli;

import dev.memstore.MemoryProtocol;
import dev.memstore.MemoryStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = {
      "Answers JSON protocol requests, one per line, until the input ends.",
      "Reads one request per line from standard input and writes one response line for each to"
          + " standard output. Blank lines are skipped; a bad request gets an error response and"
          + " does not stop exec."
    })
final class ExecCommand implements Callable<Integer> {
  @ParentCommand private Memctl memctl;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    BufferedReader requests =
        new BufferedReader(new InputStreamReader(memctl.input(), StandardCharsets.UTF_8));
    try (MemoryStore store = memctl.openOrCreate()) {
      MemoryProtocol protocol = MemoryProtocol.over(store);
      long answered = 0;
      String line;
      while ((line = requests.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        // "\n", not the platform's separator: the output is a protocol stream, not text.
        out.print(protocol.handle(line) + "\n");
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
