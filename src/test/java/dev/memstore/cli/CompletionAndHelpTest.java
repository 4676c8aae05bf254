package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * memctl help COMMAND, and the fish and PowerShell completion scripts: every command and option of
 * picocli's model appears in them, and fish parses and runs its script where fish is installed.
 */
class CompletionAndHelpTest {
  @TempDir Path folder;
  private Path home;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(folder.resolve("home"));
  }

  private CliRun ok(String... args) {
    CliRun run = memctl(home, args);
    assertEquals(0, run.exitCode(), run::toString);
    return run;
  }

  /** memctl's command tree as picocli models it, built independently of the scripts. */
  private static CommandLine model() {
    return new CommandLine(
        new Memctl(
            new StoreLocation(Map.<String, String>of()::get, "Linux", Path.of("/nonexistent")),
            new ByteArrayInputStream(new byte[0])));
  }

  /** Every command path below the root: "memctl session end", with its picocli model. */
  private static List<CommandLine> allCommands(CommandLine command) {
    List<CommandLine> all = new ArrayList<>();
    all.add(command);
    command.getSubcommands().values().forEach(sub -> all.addAll(allCommands(sub)));
    return all;
  }

  private static String path(CommandLine command) {
    return command.getCommandSpec().qualifiedName();
  }

  @Test
  void help_command_printsThatCommandsUsage() {
    CliRun run = ok("help", "prune");
    assertTrue(run.out().startsWith("Usage: memctl prune"), run::toString);
    assertTrue(run.out().contains("--older-than"), run::toString);
  }

  @Test
  void help_nestedCommand_printsItsUsage() {
    CliRun run = ok("help", "session", "end");
    assertTrue(run.out().startsWith("Usage: memctl session end"), run::toString);
  }

  @Test
  void help_unknownCommand_isAUsageError() {
    CliRun run = memctl(home, "help", "session", "nosuchcommand");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("no command 'nosuchcommand' in memctl session"), run::toString);
  }

  @Test
  void fish_everyCommandAndOption_appears() {
    String script = ok("completion", "fish").out();
    for (CommandLine command : allCommands(model())) {
      String condition = "-n '__memctl_is " + path(command) + "'";
      if (command.getParent() != null) {
        String offered =
            "-n '__memctl_is "
                + path(command.getParent())
                + "' -a "
                + command.getCommandName()
                + " ";
        assertTrue(script.contains(offered), "fish offers " + path(command));
      }
      for (OptionSpec option : command.getCommandSpec().options()) {
        String flag =
            option.longestName().startsWith("--")
                ? " -l " + option.longestName().substring(2)
                : " -s " + option.longestName().substring(1);
        assertTrue(
            script.lines().anyMatch(line -> line.contains(condition) && line.contains(flag)),
            "fish completes " + option.longestName() + " of " + path(command));
      }
    }
  }

  @Test
  void powerShell_everyCommandAndOption_appears() {
    String script = ok("completion", "powershell").out();
    assertTrue(script.startsWith("# PowerShell completion for memctl"), script);
    assertTrue(script.contains("Register-ArgumentCompleter -Native -CommandName 'memctl'"));
    for (CommandLine command : allCommands(model())) {
      String line =
          script
              .lines()
              .filter(each -> each.startsWith("        '" + path(command) + "' = @("))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no entry for " + path(command)));
      command
          .getSubcommands()
          .keySet()
          .forEach(sub -> assertTrue(line.contains("'" + sub + "\t"), path(command) + " " + sub));
      for (OptionSpec option : command.getCommandSpec().options()) {
        for (String name : option.names()) {
          assertTrue(line.contains("'" + name + "\t"), path(command) + " " + name);
        }
      }
    }
    assertTrue(script.contains("'memctl ls --type' = @('conversation', "), "type names");
    assertTrue(
        script
            .lines()
            .anyMatch(
                line -> line.startsWith("        'memctl help' = ") && line.contains("'decay\t")),
        "help completes the commands");
  }

  @Test
  void fish_script_parsesAndCompletesCommandsOptionsAndValues() throws Exception {
    Path fish = onPath("fish");
    assumeTrue(
        fish != null,
        "fish is not installed (Debian: apt-get install fish): its script's syntax was not"
            + " checked");
    Path script = Files.writeString(folder.resolve("memctl.fish"), ok("completion", "fish").out());
    assertEquals("", runShell(fish, "-n", script.toString()), "fish -n finds no syntax error");
    String completions =
        runShell(
            fish,
            "-c",
            "source "
                + script
                + "; complete -C 'memctl sess'; complete -C 'memctl --db x.db session e';"
                + " complete -C 'memctl ls --tier '; complete -C 'memctl prune --older';"
                + " complete -C 'memctl help deca'");
    assertTrue(completions.contains("session\t"), completions);
    assertTrue(completions.contains("end\t"), completions);
    assertTrue(completions.contains("long_term\t"), completions);
    assertTrue(completions.contains("--older-than\t"), completions);
    assertTrue(completions.lines().anyMatch(line -> line.startsWith("decay")), completions);
  }

  @Test
  void powerShell_script_parses() throws Exception {
    Path pwsh = onPath("pwsh");
    assumeTrue(
        pwsh != null,
        "PowerShell (pwsh) is not installed and has no Debian package: its script's syntax was"
            + " not checked");
    Path script = Files.writeString(folder.resolve("memctl.ps1"), ok("completion", "pwsh").out());
    String output =
        runShell(
            pwsh,
            "-NoProfile",
            "-Command",
            "$errors = $null; [System.Management.Automation.Language.Parser]::ParseFile('"
                + script
                + "', [ref]$null, [ref]$errors) | Out-Null; $errors.Count");
    assertEquals("0", output.strip(), "PowerShell finds no syntax error");
  }

  private static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String folder : path.split(File.pathSeparator)) {
      Path candidate = Path.of(folder).resolve(program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Runs a shell and returns what it printed; fails when it fails. */
  private static String runShell(Path shell, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(shell.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell finished");
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
