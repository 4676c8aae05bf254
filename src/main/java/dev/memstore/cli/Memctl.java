package dev.memstore.cli;

import dev.memstore.ErrorCode;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryStoreBuilder;
import dev.memstore.MemoryStoreException;
import dev.memstore.internal.config.ConfigFile;
import dev.memstore.internal.json.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code memctl}: the command line of memstore. The options here are inherited by every subcommand,
 * so {@code memctl --db F ls} and {@code memctl ls --db F} both work; subcommands reach them and
 * the store through {@code @ParentCommand}.
 */
@Command(
    name = "memctl",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    description = "Reads and writes a memstore file: long-term memories in one SQLite file.",
    subcommands = {
      AddCommand.class,
      GetCommand.class,
      ListCommand.class,
      RemoveCommand.class,
      StatsCommand.class,
      ExecCommand.class,
      SearchCommand.class,
      ContextCommand.class,
      ReembedCommand.class,
      PruneCommand.class,
      ForgetCommand.class,
      UpdateCommand.class,
      ChildrenCommand.class,
      RelatedCommand.class,
      LinkCommand.class,
      UnlinkCommand.class,
      ReinforceCommand.class,
      RestoreCommand.class,
      HistoryCommand.class,
      WatchCommand.class,
      SessionCommand.class,
      GroupCommand.class,
      DoctorCommand.class,
      ConsolidateCommand.class,
      DecayCommand.class,
      SummarizeCommand.class,
      OptimizeCommand.class,
      CheckpointCommand.class,
      BackupCommand.class,
      CompletionCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      AuditCommand.class,
      ReportCommand.class,
      KeyCommand.class,
      McpCommand.class,
      AgentsCommand.class,
      DemoCommand.class,
      HelpCommand.class
    })
public final class Memctl implements Callable<Integer> {
  @Option(
      names = "--db",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "The store file. Default: $MEMSTORE_DB, else the platform's data folder.")
  private Path db;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "The assistant's memory_config.yaml: its retention, ranking, model and other options."
              + " Default: $"
              + StoreLocation.CONFIG_VARIABLE
              + ", else NAME_config.yaml beside the store NAME.db, else none.")
  private Path config;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON with the protocol's field names, one document per line.")
  private boolean json;

  @Option(
      names = "--read-only",
      scope = ScopeType.INHERIT,
      description = "Open the store read-only: commands that write fail and change nothing.")
  private boolean readOnly;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "The key file that seals sensitive memories (memctl key new FILE writes one)."
              + " Default: $MEMSTORE_KEY_FILE, else none: sealed memories stay unreadable.")
  private Path keyFile;

  @Option(
      names = "--as-agent",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description =
          "Act as this agent of the store's access policy (--agent filters by a memory's agent)."
              + " Default: $"
              + AGENT_VARIABLE
              + ", else the policy's default agent.")
  private String agent;

  @Option(
      names = "--agent-secret-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "The agent's secret, read from this file (keep it readable by you only). Default: $"
              + AGENT_SECRET_VARIABLE
              + ", the secret itself.")
  private Path agentSecretFile;

  /** The environment variable that names the agent memctl acts as. */
  static final String AGENT_VARIABLE = "MEMSTORE_AGENT";

  /** The environment variable that holds the agent's secret. */
  static final String AGENT_SECRET_VARIABLE = "MEMSTORE_AGENT_SECRET";

  @Spec private CommandSpec spec;

  private final StoreLocation location;
  private final InputStream input;

  Memctl(StoreLocation location, InputStream input) {
    this.location = location;
    this.input = input;
  }

  // UTF-8 both ways: exec speaks JSON, whose interchange encoding is UTF-8, and every command's
  // output should read the same in a pipe.
  public static void main(String[] args) {
    System.exit(
        run(
            args,
            new PrintWriter(System.out, false, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8),
            System.in));
  }

  /**
   * Runs memctl in this process with the given streams and returns its exit code; never calls
   * {@code System.exit}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream in) {
    return run(args, out, err, in, StoreLocation.system());
  }

  /**
   * Runs memctl in this process as {@link #run(String[], PrintWriter, PrintWriter, InputStream)}
   * does, with these environment variables instead of the process's ({@code MEMSTORE_DB}, {@code
   * MEMSTORE_CONFIG}, {@code MEMSTORE_BUSY_TIMEOUT}, {@code HOME}, {@code XDG_DATA_HOME}, {@code
   * LOCALAPPDATA}).
   */
  public static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      InputStream in,
      Map<String, String> environment) {
    return run(args, out, err, in, StoreLocation.of(Map.copyOf(environment)::get));
  }

  static int run(
      String[] args, PrintWriter out, PrintWriter err, InputStream in, StoreLocation location) {
    try {
      return commandLine(new Memctl(location, in), out, err).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static CommandLine commandLine(Memctl memctl, PrintWriter out, PrintWriter err) {
    CommandLine commandLine =
        new CommandLine(memctl)
            .setOut(out)
            .setErr(err)
            .setParameterExceptionHandler(Memctl::usageError)
            .setExecutionExceptionHandler(Memctl::failure);
    commandLine
        .getCommandSpec()
        .usageMessage()
        .footerHeading("%nThe store file:%n")
        .footer(
            "  --db FILE, else the path in the config file of --config or $"
                + StoreLocation.CONFIG_VARIABLE
                + ",",
            "  else $" + StoreLocation.ENV_VARIABLE + ", else " + memctl.location.platformDefault(),
            "",
            "The config file (memory_config.yaml, as the library reads it):",
            "  --config FILE, else $"
                + StoreLocation.CONFIG_VARIABLE
                + ", else NAME_config.yaml beside the store",
            "  NAME.db, else the defaults. memctl's options and variables ($"
                + StoreLocation.KEY_FILE_VARIABLE
                + ",",
            "  $"
                + StoreLocation.BUSY_TIMEOUT_VARIABLE
                + ", --read-only, --key-file) win over the file's.");
    documentExitCodes(commandLine);
    return commandLine;
  }

  private static void documentExitCodes(CommandLine commandLine) {
    commandLine
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    commandLine.getSubcommands().values().forEach(Memctl::documentExitCodes);
  }

  private static int usageError(ParameterException problem, String[] args) {
    CommandLine commandLine = problem.getCommandLine();
    PrintWriter err = commandLine.getErr();
    if (jsonRequested(args)) {
      err.println(errorJson(ErrorCode.INVALID_REQUEST, problem.getMessage(), Map.of()));
      return ExitCodes.USAGE;
    }
    err.println("memctl: " + TerminalText.line(problem.getMessage()));
    UnmatchedArgumentException.printSuggestions(problem, err);
    err.println("Run '" + commandLine.getCommandSpec().qualifiedName() + " --help' for usage.");
    return ExitCodes.USAGE;
  }

  private static int failure(Exception failure, CommandLine commandLine, ParseResult parsed) {
    String message = message(failure);
    PrintWriter err = commandLine.getErr();
    if (jsonRequested(parsed.expandedArgs().toArray(String[]::new))) {
      Map<String, Object> details =
          failure instanceof MemoryStoreException stored ? stored.details() : Map.of();
      err.println(errorJson(ExitCodes.errorCode(failure), message, details));
    } else {
      err.println("memctl: " + TerminalText.line(message));
    }
    return ExitCodes.of(failure);
  }

  /** What went wrong, in words: never a Java class name or stack trace. */
  private static String message(Exception failure) {
    if (failure instanceof MemoryStoreException
        || failure instanceof CliException
        || failure instanceof IllegalArgumentException) {
      return failure.getMessage();
    }
    Throwable cause =
        failure instanceof UncheckedIOException unchecked ? unchecked.getCause() : failure;
    if (cause instanceof NoSuchFileException missing) {
      return "no such file or folder: " + missing.getFile();
    }
    if (cause instanceof AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    if (cause instanceof FileSystemException file) {
      return "could not read or write "
          + file.getFile()
          + (file.getReason() == null ? "" : ": " + file.getReason());
    }
    if (cause instanceof IOException) {
      return "a file could not be read or written";
    }
    return "unexpected failure; this is a bug, please report it with the command line";
  }

  /**
   * Whether {@code --json} is among the options, read from the arguments themselves: a usage error
   * may stop parsing before the option is set.
   */
  private static boolean jsonRequested(String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--json")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A failure as the protocol's error shape, on one line: {@code
   * {"status":"error","error":{"code":...,"message":...,"details":{...}}}}.
   */
  static String errorJson(ErrorCode code, String message, Map<String, Object> details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.wireName());
    error.put("message", message);
    error.put("details", details);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("status", "error");
    response.put("error", error);
    return Json.write(response);
  }

  @Override
  public Integer call() {
    throw missingCommand(spec);
  }

  /** The usage error of a command that only groups others and was given none of them. */
  static ParameterException missingCommand(CommandSpec spec) {
    return new ParameterException(
        spec.commandLine(),
        "missing a command: " + String.join(", ", spec.commandLine().getSubcommands().keySet()));
  }

  /** Whether the user asked for JSON output. */
  boolean json() {
    return json;
  }

  /** Whether the user asked to open the store read-only. */
  boolean readOnly() {
    return readOnly;
  }

  /** The file given with {@code --db}, or null. */
  Path explicitStorePath() {
    return db;
  }

  /**
   * The store file this run works on: {@code --db}, else the {@code path} of an explicit config
   * file, else {@code $MEMSTORE_DB}, else the platform's default.
   */
  Path storePath() {
    if (db == null) {
      Path explicitConfig = location.explicitConfig(config);
      if (explicitConfig != null) {
        Path fromConfig = ConfigFile.read(explicitConfig).databasePath(explicitConfig);
        if (fromConfig != null) {
          return fromConfig.toAbsolutePath();
        }
      }
    }
    return location.resolve(db).toAbsolutePath();
  }

  /** The config file this run applies to the store, or null for none. */
  Path configPath() {
    Path explicitConfig = location.explicitConfig(config);
    return explicitConfig != null
        ? explicitConfig.toAbsolutePath()
        : StoreLocation.besideStore(storePath());
  }

  /** Standard input, as given to {@link #run}. */
  InputStream input() {
    return input;
  }

  /** Whether standard input is a terminal, where a command should not wait for text. */
  boolean inputIsTerminal() {
    return input == System.in && System.console() != null;
  }

  /**
   * Standard output for bytes (a backup to {@code -}), after the text written so far; closing it
   * leaves standard output open.
   */
  OutputStream binaryOutput() {
    spec.commandLine().getOut().flush();
    return new FilterOutputStream(System.out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** Opens the store for a command that only reads; never creates the file. */
  MemoryStore openExisting() {
    return build(builderOfExisting());
  }

  /** Opens the existing store read-only, for a command that only reads: it cannot change a byte. */
  MemoryStore openReadOnly() {
    return build(existing().readOnly(true));
  }

  /**
   * Returns a builder for the store, which must exist: for commands that never create the file;
   * read-only when asked with {@code --read-only}. Open it with {@link #build}.
   */
  MemoryStoreBuilder builderOfExisting() {
    MemoryStoreBuilder builder = existing();
    return readOnly ? builder.readOnly(true) : builder;
  }

  private MemoryStoreBuilder existing() {
    Path path = storePath();
    if (!Files.exists(path)) {
      throw new CliException(ExitCodes.ERROR, "no memory store at " + path);
    }
    return builder(path).createIfMissing(false);
  }

  /** A builder for the store file with what the environment asks of every store memctl opens. */
  private MemoryStoreBuilder builder(Path path) {
    MemoryStoreBuilder builder = MemoryStore.builder(path);
    Path key = keyFile != null ? keyFile : location.keyFile();
    if (key != null) {
      builder.encryptionKey(key);
    }
    Duration busyTimeout = location.busyTimeout();
    return asAgent(busyTimeout == null ? builder : builder.busyTimeout(busyTimeout));
  }

  /**
   * Opens the store of a builder from {@link #builderOfExisting} or {@link #builderToCreate}, with
   * the config file's options that neither memctl nor the command set.
   */
  MemoryStore build(MemoryStoreBuilder builder) {
    Path configFile = configPath();
    return (configFile == null ? builder : builder.configFileDefaults(configFile)).build();
  }

  /** The builder acting as the agent of --as-agent or $MEMSTORE_AGENT, with its secret. */
  private MemoryStoreBuilder asAgent(MemoryStoreBuilder builder) {
    String name = agent != null ? agent : location.variable(AGENT_VARIABLE);
    String secret = location.variable(AGENT_SECRET_VARIABLE);
    if (name == null || name.isEmpty()) {
      if (agentSecretFile != null || (secret != null && !secret.isEmpty())) {
        throw new CliException(
            ExitCodes.USAGE,
            "an agent's secret was given but no agent: name it with --as-agent or $"
                + AGENT_VARIABLE);
      }
      return builder;
    }
    if (agentSecretFile != null) {
      return builder.agent(name, agentSecretFile);
    }
    return builder.agent(name, secret == null || secret.isEmpty() ? null : secret.toCharArray());
  }

  /**
   * Opens the store for a command that writes, creating the file when it is missing. Only the
   * default data folder is created: a missing folder of {@code --db} or {@code $MEMSTORE_DB} is
   * more likely a typo than a wish for a second, empty store.
   */
  MemoryStore openOrCreate() {
    return readOnly ? openExisting() : build(builderToCreate());
  }

  /**
   * Returns a builder for a writing command's store, which may not exist yet; refuses a missing
   * folder other than the default one (see {@link #openOrCreate}). Open it with {@link #build}.
   */
  MemoryStoreBuilder builderToCreate() {
    Path path = storePath();
    Path folder = path.getParent();
    boolean isDefault = path.equals(location.platformDefault().toAbsolutePath());
    if (!isDefault && !Files.exists(path) && folder != null && !Files.isDirectory(folder)) {
      throw new CliException(
          ExitCodes.ERROR,
          "no folder "
              + folder
              + " for the store "
              + path.getFileName()
              + "; check the path, or create the folder first (memctl creates only its default"
              + " folder)");
    }
    return builder(path);
  }
}
