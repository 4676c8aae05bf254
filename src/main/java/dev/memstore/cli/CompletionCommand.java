package dev.memstore.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a shell completion script for memctl: bash, zsh, fish or powershell.",
      "bash: source <(memctl completion bash)    zsh: source <(memctl completion zsh)",
      "fish: memctl completion fish | source",
      "PowerShell: memctl completion powershell | Out-String | Invoke-Expression"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      completionCandidates = Shells.class,
      description = "bash, zsh, fish or powershell.")
  private String shell;

  /** The shells with a completion script. */
  static final class Shells implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.List.of("bash", "zsh", "fish", "powershell").iterator();
    }
  }

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script =
        switch (shell) {
          case "bash" -> AutoComplete.bash("memctl", root);
          // picocli's script is bash; zsh runs it through its bash completion layer.
          case "zsh" ->
              "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                  + AutoComplete.bash("memctl", root);
          case "fish" -> ShellCompletion.fish(root);
          case "powershell", "pwsh" -> ShellCompletion.powerShell(root);
          default ->
              throw new CommandLine.ParameterException(
                  spec.commandLine(),
                  "no completion for '" + shell + "'; bash, zsh, fish or powershell");
        };
    spec.commandLine().getOut().print(script);
    return ExitCodes.OK;
  }
}
