package dev.memstore.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code memctl help [COMMAND...]}: the usage of a command, also of a nested one ({@code memctl
 * help session end}), which picocli's own help command does not reach; without a command, memctl's.
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Prints the usage of a command: memctl help session end.")
final class HelpCommand implements IHelpCommandInitializable2, Callable<Integer> {
  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The command, with the commands it is under.")
  private String[] commands = new String[0];

  private CommandLine self;
  private ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(
      CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public Integer call() {
    CommandLine parent = self.getParent();
    CommandLine command = parent;
    for (String name : commands) {
      CommandLine sub = command.getSubcommands().get(name);
      if (sub == null) {
        throw new ParameterException(
            self,
            "no command '"
                + name
                + "' in "
                + command.getCommandSpec().qualifiedName()
                + "; its commands: "
                + String.join(", ", command.getSubcommands().keySet()));
      }
      command = sub;
    }
    command.usage(out, colors);
    return ExitCodes.OK;
  }
}
