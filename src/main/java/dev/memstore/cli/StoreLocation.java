package dev.memstore.cli;

import dev.memstore.internal.config.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where memctl finds the memory store: {@code --db FILE}, else {@code $MEMSTORE_DB}, else the
 * platform's folder for user data; and how long it waits for another process's lock on it. The
 * environment and platform are injected so tests can check each case on any machine.
 */
final class StoreLocation {
  static final String ENV_VARIABLE = "MEMSTORE_DB";
  static final String BUSY_TIMEOUT_VARIABLE = "MEMSTORE_BUSY_TIMEOUT";
  static final String KEY_FILE_VARIABLE = "MEMSTORE_KEY_FILE";
  static final String CONFIG_VARIABLE = "MEMSTORE_CONFIG";
  // memory.db -> memory_config.yaml: the name the README gives the library's config file.
  private static final String CONFIG_SUFFIX = "_config.yaml";
  // The store builder's own limit, checked here to name the variable in the message.
  private static final Duration MAX_BUSY_TIMEOUT = Duration.ofMinutes(10);
  private static final String FOLDER = "memstore";
  private static final String FILE = "memory.db";

  private final Function<String, String> environment;
  private final String osName;
  private final Path home;

  StoreLocation(Function<String, String> environment, String osName, Path home) {
    this.environment = environment;
    this.osName = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    this.home = home;
  }

  /** Returns an environment variable as memctl sees it, or null. */
  String variable(String name) {
    return environment.apply(name);
  }

  /** The location for this process's environment, operating system and user. */
  static StoreLocation system() {
    return of(System::getenv);
  }

  /** The location for this environment, with this process's operating system and user. */
  static StoreLocation of(Function<String, String> environment) {
    return new StoreLocation(
        environment,
        System.getProperty("os.name"),
        home(environment, System.getProperty("user.home")));
  }

  /**
   * The home folder: {@code $HOME} when set to an absolute path, as shells and other tools use it;
   * else Java's {@code user.home}, which comes from the password file.
   */
  static Path home(Function<String, String> environment, String userHome) {
    String fromEnvironment = environment.apply("HOME");
    if (isSet(fromEnvironment) && Path.of(fromEnvironment).isAbsolute()) {
      return Path.of(fromEnvironment);
    }
    return Path.of(userHome);
  }

  /** Returns the store file: the explicit one if given, else from the environment or platform. */
  Path resolve(Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    String fromEnvironment = environment.apply(ENV_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return platformDefault();
  }

  /**
   * Returns the config file asked for: the explicit one if given, else {@code $MEMSTORE_CONFIG}.
   */
  Path explicitConfig(Path explicit) {
    if (explicit != null) {
      return explicit;
    }
    String value = environment.apply(CONFIG_VARIABLE);
    return isSet(value) ? Path.of(value) : null;
  }

  /**
   * Returns the config file beside a store, {@code NAME_config.yaml} for {@code NAME.db}, when it
   * exists; else null.
   */
  static Path besideStore(Path store) {
    String name = store.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    Path config = store.resolveSibling(stem + CONFIG_SUFFIX);
    return Files.isRegularFile(config) ? config : null;
  }

  /** The key file {@code $MEMSTORE_KEY_FILE} names, or null. */
  Path keyFile() {
    String value = environment.apply(KEY_FILE_VARIABLE);
    return isSet(value) ? Path.of(value) : null;
  }

  /**
   * How long a write waits for a lock that another process holds: {@code $MEMSTORE_BUSY_TIMEOUT},
   * else null for the store's default (10 s).
   *
   * @throws CliException (usage) when the variable is not a duration from 0 to 10 minutes
   */
  Duration busyTimeout() {
    String value = environment.apply(BUSY_TIMEOUT_VARIABLE);
    if (!isSet(value)) {
      return null;
    }
    Duration timeout;
    try {
      timeout = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "$" + BUSY_TIMEOUT_VARIABLE + " " + e.getMessage());
    }
    if (timeout.isNegative() || timeout.compareTo(MAX_BUSY_TIMEOUT) > 0) {
      throw new CliException(
          ExitCodes.USAGE,
          "$" + BUSY_TIMEOUT_VARIABLE + " must be at most 10m, was '" + value.strip() + "'");
    }
    return timeout;
  }

  /** Returns the default store file of the platform. */
  Path platformDefault() {
    if (osName.startsWith("windows")) {
      String localAppData = environment.apply("LOCALAPPDATA");
      Path base =
          isSet(localAppData) ? Path.of(localAppData) : home.resolve("AppData").resolve("Local");
      return base.resolve(FOLDER).resolve(FILE);
    }
    if (osName.startsWith("mac") || osName.startsWith("darwin")) {
      return home.resolve("Library").resolve("Application Support").resolve(FOLDER).resolve(FILE);
    }
    // The XDG base directory spec says to ignore a relative XDG_DATA_HOME.
    String xdgDataHome = environment.apply("XDG_DATA_HOME");
    Path base =
        isSet(xdgDataHome) && Path.of(xdgDataHome).isAbsolute()
            ? Path.of(xdgDataHome)
            : home.resolve(".local").resolve("share");
    return base.resolve(FOLDER).resolve(FILE);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
