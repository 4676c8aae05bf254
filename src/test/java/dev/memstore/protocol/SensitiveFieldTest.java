package dev.memstore.protocol;

import static dev.memstore.protocol.ProtocolClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memstore.MemoryStore;
import dev.memstore.internal.codec.StoreKey;
import dev.memstore.testing.MemoryStoreExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol's {@code sensitive} field: create and update seal, reads show it. */
class SensitiveFieldTest {
  @RegisterExtension final MemoryStoreExtension stores = MemoryStoreExtension.withoutModel();

  private MemoryStore keyed() {
    Path key = stores.folder().resolve("store.key");
    StoreKey.random().writeNew(key);
    return stores.open(builder -> builder.encryptionKey(key));
  }

  @Test
  void createAndUpdate_sensitive_sealsAndReadsSayIt() {
    ProtocolClient client = new ProtocolClient(keyed());
    String sealed =
        client.create(object("content", "the pin is 4817", "sensitive", true, "tags", null));
    String clear = client.create("the dog is called Rex");

    JsonNode read = client.read(sealed);
    assertTrue(read.get("sensitive").booleanValue());
    assertEquals("the pin is 4817", read.at("/content/text").textValue());
    assertFalse(client.read(clear).get("sensitive").booleanValue());

    client.ok("update", object("memory_id", clear, "sensitive", true));
    assertTrue(client.read(clear).get("sensitive").booleanValue());
  }

  @Test
  void read_sealedWithoutKey_permissionDenied() {
    MemoryStore store = keyed();
    String sealed =
        new ProtocolClient(store).create(object("content", "the pin is 4817", "sensitive", true));
    store.close();

    ProtocolClient withoutKey = new ProtocolClient(stores.open());
    JsonNode error = withoutKey.rejects("read", object("memory_id", sealed), "permission_denied");
    assertEquals("read", error.at("/details/action").textValue());
    assertFalse(error.toString().contains("4817"));
    withoutKey.rejects(
        "create", object("content", "another pin", "sensitive", true), "validation_error");
  }
}
