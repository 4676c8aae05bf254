package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl's key files, sensitive memories, and key rotation. */
class KeyCommandTest {
  @TempDir Path folder;
  private Path home;
  private String db;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(folder.resolve("home"));
    db = folder.resolve("memory.db").toString();
  }

  private CliRun run(String... args) {
    return memctl(home, args);
  }

  @Test
  void keyNew_writesAPrivateKeyFileAndRefusesToOverwrite() throws Exception {
    Path key = folder.resolve("store.key");

    CliRun made = run("key", "new", key.toString());

    assertEquals(0, made.exitCode(), made.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertEquals(44, Files.readString(key).strip().length(), "32 bytes in base64");
    assertNotEquals(0, run("key", "new", key.toString()).exitCode());
  }

  @Test
  void addSensitive_getShowsItWithTheKeyAndRefusesWithout() {
    String key = folder.resolve("store.key").toString();
    run("key", "new", key);
    CliRun added = run("--db", db, "--key-file", key, "add", "--sensitive", "the pin is 4817");
    assertEquals(0, added.exitCode(), added.toString());
    String id = added.out().strip();

    CliRun shown = run("--db", db, "--key-file", key, "get", id);
    assertTrue(shown.out().contains("the pin is 4817"), shown.toString());
    assertTrue(shown.out().contains("sensitive"), shown.toString());
    CliRun json = run("--db", db, "--key-file", key, "--json", "get", id);
    assertTrue(json.out().contains("\"sensitive\":true"), json.toString());

    CliRun refused = run("--db", db, "--json", "get", id);
    assertNotEquals(0, refused.exitCode());
    assertTrue(refused.err().contains("\"code\":\"permission_denied\""), refused.toString());
    assertFalse(refused.err().contains("4817"));
  }

  @Test
  void updateSensitive_sealsAnExistingMemory() {
    String key = folder.resolve("store.key").toString();
    run("key", "new", key);
    String id = run("--db", db, "add", "my locker code is 2231").out().strip();

    CliRun sealed = run("--db", db, "--key-file", key, "update", id, "--sensitive");

    assertEquals(0, sealed.exitCode(), sealed.toString());
    assertNotEquals(0, run("--db", db, "get", id).exitCode(), "now sealed");
  }

  @Test
  void keyFromEnvironment_usedLikeKeyFile() {
    String key = folder.resolve("store.key").toString();
    run("key", "new", key);
    StoreLocation location =
        new StoreLocation(Map.of("MEMSTORE_DB", db, "MEMSTORE_KEY_FILE", key)::get, "Linux", home);

    String id = memctl(location, "", "add", "--sensitive", "the wifi password is heron").out();

    assertTrue(
        memctl(location, "", "get", id.strip()).out().contains("the wifi password is heron"));
  }

  @Test
  void keyRotate_movesTheStoreToTheNewKey() {
    String oldKey = folder.resolve("old.key").toString();
    String newKey = folder.resolve("new.key").toString();
    run("key", "new", oldKey);
    run("key", "new", newKey);
    String id = run("--db", db, "--key-file", oldKey, "add", "--sensitive", "secret").out().strip();

    CliRun rotated =
        run("--db", db, "--key-file", oldKey, "key", "rotate", "--new-key-file", newKey);

    assertEquals(0, rotated.exitCode(), rotated.toString());
    assertTrue(rotated.out().contains("re-sealed 1 memories"), rotated.toString());
    assertTrue(run("--db", db, "--key-file", newKey, "get", id).out().contains("secret"));
    CliRun old = run("--db", db, "--key-file", oldKey, "get", id);
    assertNotEquals(0, old.exitCode());
    assertTrue(old.err().contains("is not this store's key"), old.toString());
  }
}
