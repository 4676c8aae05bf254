package dev.memstore.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Completion scripts for fish and PowerShell, written from picocli's model of memctl (picocli
 * itself writes only bash), so that a new command or option completes without a change here. Each
 * script finds the command being typed by walking the words typed so far down the command tree,
 * then offers that command's subcommands and options, an option's candidates and, where a value is
 * a file, file names.
 */
final class ShellCompletion {
  // Command and option names go into the scripts unquoted; anything else is left out.
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern PLAIN_OPTION = Pattern.compile("--?[A-Za-z0-9][A-Za-z0-9_-]*");

  private ShellCompletion() {}

  /** Returns the fish script: {@code memctl completion fish | source}. */
  static String fish(CommandLine root) {
    Map<String, CommandLine> commands = commands(root);
    String name = root.getCommandName();
    StringBuilder script = new StringBuilder();
    script
        .append("# fish completion for ")
        .append(name)
        .append(", written from its commands by '")
        .append(name)
        .append(" completion fish'.\n")
        .append("# Load it with: ")
        .append(name)
        .append(" completion fish | source\n")
        .append("# or save it as ~/.config/fish/completions/")
        .append(name)
        .append(".fish\n\n");
    String function = "__" + name.replace('-', '_');
    // The command being typed: the longest known command path among the words before the cursor.
    script
        .append("function ")
        .append(function)
        .append("_command\n")
        .append("    set -l path ")
        .append(name)
        .append("\n")
        .append("    for word in (commandline -opc)[2..-1]\n")
        .append("        switch \"$path $word\"\n")
        .append("            case");
    for (String path : commands.keySet()) {
      if (!path.equals(name)) {
        script.append(' ').append(fishQuote(path));
      }
    }
    script
        .append("\n                set path \"$path $word\"\n")
        .append("        end\n")
        .append("    end\n")
        .append("    echo $path\n")
        .append("end\n\n")
        .append("function ")
        .append(function)
        .append("_is\n")
        .append("    test (")
        .append(function)
        .append("_command) = \"$argv\"\n")
        .append("end\n\n")
        .append("complete -c ")
        .append(name)
        .append(" -f\n");
    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      String condition = " -n " + fishQuote(function + "_is " + entry.getKey());
      CommandSpec spec = entry.getValue().getCommandSpec();
      script.append('\n');
      for (Map.Entry<String, CommandLine> sub : subcommands(entry.getValue()).entrySet()) {
        script
            .append("complete -c ")
            .append(name)
            .append(condition)
            .append(" -a ")
            .append(sub.getKey())
            .append(" -d ")
            .append(fishQuote(summary(sub.getValue().getCommandSpec())))
            .append('\n');
      }
      for (OptionSpec option : options(spec)) {
        script.append("complete -c ").append(name).append(condition);
        for (String optionName : option.names()) {
          if (optionName.startsWith("--")) {
            script.append(" -l ").append(optionName.substring(2));
          } else if (optionName.length() == 2) {
            script.append(" -s ").append(optionName.substring(1));
          } else {
            script.append(" -o ").append(optionName.substring(1));
          }
        }
        script.append(fishValue(option)).append(" -d ").append(fishQuote(summary(option)));
        script.append('\n');
      }
      for (ArgSpec positional : spec.positionalParameters()) {
        if (positional.hidden()) {
          continue;
        }
        List<String> candidates = candidates(positional);
        if (spec.helpCommand() && entry.getValue().getParent() != null) {
          // help's COMMAND: the commands beside it.
          candidates = new ArrayList<>(subcommands(entry.getValue().getParent()).keySet());
        }
        if (isFile(positional)) {
          script.append("complete -c ").append(name).append(condition).append(" -F\n");
        } else if (!candidates.isEmpty()) {
          script
              .append("complete -c ")
              .append(name)
              .append(condition)
              .append(" -a ")
              .append(fishQuote(String.join(" ", candidates)))
              .append('\n');
        }
      }
    }
    return script.toString();
  }

  private static String fishValue(OptionSpec option) {
    if (option.arity().max() == 0) {
      return "";
    }
    List<String> candidates = candidates(option);
    if (!candidates.isEmpty()) {
      return " -x -a " + fishQuote(String.join(" ", candidates));
    }
    return isFile(option) ? " -r -F" : " -x";
  }

  /** A fish string in single quotes, where only backslash and the quote itself are escaped. */
  private static String fishQuote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Returns the PowerShell script: {@code memctl completion powershell | Out-String | iex}. */
  static String powerShell(CommandLine root) {
    Map<String, CommandLine> commands = commands(root);
    String name = root.getCommandName();
    StringBuilder script = new StringBuilder();
    script
        .append("# PowerShell completion for ")
        .append(name)
        .append(", written from its commands by '")
        .append(name)
        .append(" completion powershell'.\n")
        .append("# Load it with: ")
        .append(name)
        .append(" completion powershell | Out-String | Invoke-Expression\n")
        .append("# or add that line to your $PROFILE.\n\n")
        .append("Register-ArgumentCompleter -Native -CommandName ")
        .append(powerShellQuote(name))
        .append(" -ScriptBlock {\n")
        .append("    param($wordToComplete, $commandAst, $cursorPosition)\n")
        // Each command path: the words to offer (subcommands, then options), each with its
        // description after a tab (a hashtable would refuse -v beside -V: its keys ignore case);
        // then each option's candidate values.
        .append("    $commands = @{\n");
    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      CommandSpec spec = entry.getValue().getCommandSpec();
      List<String> words = new ArrayList<>();
      for (Map.Entry<String, CommandLine> sub : subcommands(entry.getValue()).entrySet()) {
        words.add(powerShellWord(sub.getKey(), summary(sub.getValue().getCommandSpec())));
      }
      for (OptionSpec option : options(spec)) {
        for (String optionName : option.names()) {
          words.add(powerShellWord(optionName, summary(option)));
        }
      }
      if (spec.helpCommand() && entry.getValue().getParent() != null) {
        // help's COMMAND: the commands beside it.
        for (Map.Entry<String, CommandLine> sibling :
            subcommands(entry.getValue().getParent()).entrySet()) {
          if (sibling.getValue() != entry.getValue()) {
            words.add(
                powerShellWord(sibling.getKey(), summary(sibling.getValue().getCommandSpec())));
          }
        }
      }
      script
          .append("        ")
          .append(powerShellQuote(entry.getKey()))
          .append(" = @(")
          .append(String.join(", ", words))
          .append(")\n");
    }
    script.append("    }\n").append("    $values = @{\n");
    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      for (OptionSpec option : options(entry.getValue().getCommandSpec())) {
        List<String> candidates = candidates(option);
        if (option.arity().max() == 0 || candidates.isEmpty()) {
          continue;
        }
        for (String optionName : option.names()) {
          script
              .append("        ")
              .append(powerShellQuote(entry.getKey() + " " + optionName))
              .append(" = @(")
              .append(
                  String.join(
                      ", ", candidates.stream().map(ShellCompletion::powerShellQuote).toList()))
              .append(")\n");
        }
      }
    }
    script
        .append("    }\n")
        .append("    $path = ")
        .append(powerShellQuote(name))
        .append("\n")
        .append("    $previous = $null\n")
        .append("    foreach ($element in $commandAst.CommandElements | Select-Object -Skip 1) {\n")
        .append("        if ($element.Extent.StartOffset -ge $cursorPosition) { break }\n")
        .append("        $word = $element.Extent.Text\n")
        .append("        if ($word -eq $wordToComplete -and")
        .append(" $element.Extent.EndOffset -ge $cursorPosition) { break }\n")
        .append("        if ($commands.ContainsKey(\"$path $word\")) { $path = \"$path $word\" }\n")
        .append("        $previous = $word\n")
        .append("    }\n")
        .append("    if ($previous -and $values.ContainsKey(\"$path $previous\")) {\n")
        .append("        foreach ($value in $values[\"$path $previous\"]) {\n")
        .append("            if ($value.StartsWith($wordToComplete)) {\n")
        .append("                [System.Management.Automation.CompletionResult]::new(")
        .append("$value, $value, 'ParameterValue', $value)\n")
        .append("            }\n")
        .append("        }\n")
        .append("        return\n")
        .append("    }\n")
        .append("    foreach ($entry in $commands[$path]) {\n")
        .append("        $name, $tip = $entry -split \"`t\", 2\n")
        .append("        if ($name.StartsWith($wordToComplete)) {\n")
        .append("            $kind = if ($name.StartsWith('-')) { 'ParameterName' }")
        .append(" else { 'Command' }\n")
        .append("            [System.Management.Automation.CompletionResult]::new(")
        .append("$name, $name, $kind, $tip)\n")
        .append("        }\n")
        .append("    }\n")
        .append("}\n");
    return script.toString();
  }

  /** A word to offer and its description, tab-separated, as a PowerShell string. */
  private static String powerShellWord(String word, String description) {
    return powerShellQuote(word + "\t" + description);
  }

  /** A PowerShell string in single quotes, where a quote is written twice. */
  private static String powerShellQuote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * Returns every visible command by its path ({@code memctl session end}), the root first, each
   * before its subcommands.
   */
  static Map<String, CommandLine> commands(CommandLine root) {
    Map<String, CommandLine> commands = new LinkedHashMap<>();
    collect(root.getCommandName(), root, commands);
    return commands;
  }

  private static void collect(String path, CommandLine command, Map<String, CommandLine> into) {
    into.put(path, command);
    for (Map.Entry<String, CommandLine> sub : subcommands(command).entrySet()) {
      collect(path + " " + sub.getKey(), sub.getValue(), into);
    }
  }

  /** The visible subcommands by name, aliases included, that a script can name unquoted. */
  private static Map<String, CommandLine> subcommands(CommandLine command) {
    Map<String, CommandLine> visible = new LinkedHashMap<>();
    command
        .getSubcommands()
        .forEach(
            (subName, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()
                  && PLAIN_NAME.matcher(subName).matches()) {
                visible.put(subName, sub);
              }
            });
    return visible;
  }

  /** The visible options, inherited ones included, whose names a script can write unquoted. */
  static List<OptionSpec> options(CommandSpec spec) {
    List<OptionSpec> visible = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()
          && option.names().length > 0
          && List.of(option.names()).stream().allMatch(n -> PLAIN_OPTION.matcher(n).matches())) {
        visible.add(option);
      }
    }
    return visible;
  }

  private static List<String> candidates(ArgSpec arg) {
    List<String> candidates = new ArrayList<>();
    Iterable<String> iterable = arg.completionCandidates();
    if (iterable != null) {
      iterable.forEach(
          candidate -> {
            if (PLAIN_NAME.matcher(candidate).matches()) {
              candidates.add(candidate);
            }
          });
    }
    return candidates;
  }

  private static boolean isFile(ArgSpec arg) {
    Class<?> type = arg.typeInfo().getType();
    return type == Path.class || type == File.class;
  }

  /** The first line of a command's description, for a completion menu. */
  private static String summary(CommandSpec spec) {
    String[] description = spec.usageMessage().description();
    return description.length == 0 ? spec.name() : firstSentence(description[0]);
  }

  private static String summary(OptionSpec option) {
    String[] description = option.description();
    return description.length == 0 ? option.longestName() : firstSentence(description[0]);
  }

  /** A description up to its first sentence, on one line; menus have room for little more. */
  private static String firstSentence(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    int end = line.indexOf(". ");
    String sentence = end > 0 ? line.substring(0, end + 1) : line;
    return sentence.isEmpty() ? "-" : sentence;
  }
}
