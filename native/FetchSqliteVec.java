import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the prebuilt sqlite-vec loadable extensions with npm, verifies each one against the sha256 manifest and
 * lays them out as jar resources under {@code dev/memstore/native/<platform>/}.
 *
 * <p>Run by the Maven build (generate-resources) as a single-file Java program, so it works wherever the JDK does.
 * The binaries are third-party builds: they are never committed, only their checksums are. A binary whose checksum
 * does not match the manifest fails the build, whether it came from npm, the npm cache or an earlier build.
 */
public final class FetchSqliteVec {
  private static final String RESOURCE_ROOT = "dev/memstore/native";

  private record Entry(String npmSuffix, String platform, String fileName, String sha256) {}

  public static void main(String[] arguments) throws Exception {
    Map<String, String> options = parseOptions(arguments);
    Path manifest = Path.of(required(options, "--manifest"));
    String version = required(options, "--version");
    Path output = Path.of(required(options, "--output"));
    Path work = Path.of(required(options, "--work"));

    List<Entry> entries = readManifest(manifest);
    Path resourceRoot = output.resolve(RESOURCE_ROOT);
    Files.createDirectories(resourceRoot);
    Files.createDirectories(work);
    for (Entry entry : entries) {
      Path target = resourceRoot.resolve(entry.platform()).resolve(entry.fileName());
      if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(entry.sha256())) {
        continue;
      }
      Path archive = work.resolve("sqlite-vec-" + entry.npmSuffix() + "-" + version + ".tgz");
      if (!Files.isRegularFile(archive)) {
        npmPack("sqlite-vec-" + entry.npmSuffix() + "@" + version, work);
      }
      byte[] binary = extract(archive, "package/" + entry.fileName());
      String actual = sha256(binary);
      if (!actual.equals(entry.sha256())) {
        Files.deleteIfExists(archive);
        fail(
            "checksum mismatch for "
                + entry.fileName()
                + " in sqlite-vec-"
                + entry.npmSuffix()
                + "@"
                + version
                + ": expected "
                + entry.sha256()
                + " (native/sqlite-vec.sha256), got "
                + actual
                + ". The package differs from the one the manifest was made from; the downloaded archive was"
                + " removed. Do not edit the manifest to make this pass unless you verified the new binary.");
      }
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), entry.fileName(), ".part");
      Files.write(temporary, binary);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("[sqlite-vec] " + entry.platform() + "/" + entry.fileName() + " verified (" + actual + ")");
    }
    // The loader verifies the extracted bytes against the same manifest at run time.
    Files.copy(manifest, resourceRoot.resolve("sqlite-vec.sha256"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static Map<String, String> parseOptions(String[] arguments) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int index = 0; index + 1 < arguments.length; index += 2) {
      options.put(arguments[index], arguments[index + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      fail("missing option " + name);
    }
    return value;
  }

  private static List<Entry> readManifest(Path manifest) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] columns = trimmed.split("\\s+");
      if (columns.length != 4 || !columns[3].matches("[0-9a-f]{64}")) {
        fail("malformed line in " + manifest + ": " + line);
      }
      entries.add(new Entry(columns[0], columns[1], columns[2], columns[3]));
    }
    if (entries.isEmpty()) {
      fail("no entries in " + manifest);
    }
    return entries;
  }

  private static void npmPack(String packageSpec, Path destination) throws IOException, InterruptedException {
    boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
    List<String> command =
        List.of(
            windows ? "npm.cmd" : "npm",
            "pack",
            packageSpec,
            "--pack-destination",
            destination.toString(),
            "--prefer-offline",
            "--silent");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notFound) {
      fail(
          "npm is needed to fetch the sqlite-vec binaries ("
              + packageSpec
              + ") but could not be started: "
              + notFound.getMessage()
              + ". Install Node.js with npm (for example the Debian package 'npm') and run the build again.");
      return;
    }
    String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("npm pack " + packageSpec + " did not finish within 5 minutes");
    }
    if (process.exitValue() != 0) {
      fail(
          "npm pack "
              + packageSpec
              + " failed with exit code "
              + process.exitValue()
              + ":\n"
              + printed
              + "\nCheck that the npm registry is reachable (npm ping) and run the build again.");
    }
  }

  /** Reads one file out of a gzip-compressed tar archive (the format of npm packages). */
  private static byte[] extract(Path archive, String wantedName) throws IOException {
    try (InputStream input = new GZIPInputStream(Files.newInputStream(archive))) {
      byte[] header = new byte[512];
      while (input.readNBytes(header, 0, 512) == 512) {
        String name = cString(header, 0, 100);
        if (name.isEmpty()) {
          break;
        }
        String prefix = cString(header, 345, 155);
        String fullName = prefix.isEmpty() ? name : prefix + "/" + name;
        long size = Long.parseLong(cString(header, 124, 12).strip(), 8);
        long padded = (size + 511) / 512 * 512;
        if (fullName.equals(wantedName)) {
          ByteArrayOutputStream content = new ByteArrayOutputStream((int) size);
          content.write(input.readNBytes((int) size));
          return content.toByteArray();
        }
        input.skipNBytes(padded);
      }
    }
    fail(archive + " does not contain " + wantedName);
    return new byte[0];
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void fail(String message) {
    System.err.println("[sqlite-vec] ERROR: " + message);
    System.exit(1);
  }
}
