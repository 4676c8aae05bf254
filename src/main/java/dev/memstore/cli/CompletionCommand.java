package dev.memstore.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a shell completion script for memctl: bash or zsh.",
      "bash: source <(memctl completion bash)    zsh: source <(memctl completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  private String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "no completion for '" + shell + "'; bash or zsh");
    }
    String script = AutoComplete.bash("memctl", spec.root().commandLine());
    if (shell.equals("zsh")) {
      // picocli's script is bash; zsh runs it through its bash completion layer.
      script =
          "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
              + script;
    }
    spec.commandLine().getOut().print(script);
    return ExitCodes.OK;
  }
}
