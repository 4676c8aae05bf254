package dev.memstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.codec.StoreKey;
import dev.memstore.testing.MemoryStoreExtension;
import dev.memstore.testing.RawDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sensitive-text policy on the write path: refused text changes nothing and is never echoed;
 * allowed text is stored as before; text to seal is never stored in clear.
 */
class SensitiveTextTest {
  private static final String CARD = "my card number is 4111 1111 1111 1111";

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private MemoryStore store(SensitiveText policy) {
    return stores.open(builder -> builder.sensitiveText(policy));
  }

  private long memories() throws Exception {
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      return raw.number("select count(*) from memories");
    }
  }

  @Test
  void create_refusePolicy_refusedNamingTheKindNeverTheText() throws Exception {
    MemoryStore store = store(SensitiveText.REFUSE);

    ValidationException refused =
        assertThrows(ValidationException.class, () -> store.create(NewMemory.of(CARD)));

    assertEquals(ErrorCode.VALIDATION_ERROR, refused.code());
    assertEquals("content", refused.field());
    assertTrue(refused.getMessage().contains("a payment card number"), refused.getMessage());
    assertFalse(refused.getMessage().contains("1111"), refused.getMessage());
    assertEquals(0, memories());
  }

  @Test
  void createAll_refusePolicy_oneSecretRefusesTheBatch() throws Exception {
    MemoryStore store = store(SensitiveText.REFUSE);

    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () ->
                store.createAll(
                    List.of(
                        NewMemory.of("we met at 7 in room 1204"),
                        NewMemory.of("the password for the wifi is Tr0ub4dor&3"))));

    assertEquals("memories[1].content", refused.field());
    assertTrue(refused.getMessage().contains("a password"), refused.getMessage());
    assertFalse(refused.getMessage().contains("Tr0ub4dor"), refused.getMessage());
    assertEquals(0, memories());
  }

  @Test
  void update_refusePolicy_changesNothing() throws Exception {
    MemoryStore store = store(SensitiveText.REFUSE);
    Memory memory = store.create(NewMemory.of("the garage door needs oil"));

    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () ->
                store.update(
                    memory.id(),
                    MemoryUpdate.builder().content("the garage door code is 6612").build()));

    assertTrue(refused.getMessage().contains("a PIN"), refused.getMessage());
    assertFalse(refused.getMessage().contains("6612"), refused.getMessage());
    assertEquals("the garage door needs oil", store.get(memory.id()).content());
    assertEquals(1, store.history(memory.id()).size(), "no update in the history");
  }

  @Test
  void create_refusePolicy_ordinaryTextStored() {
    MemoryStore store = store(SensitiveText.REFUSE);
    Memory memory = store.create(NewMemory.of("Call the dentist at 555-1234 before 2026-03-15"));
    assertEquals("Call the dentist at 555-1234 before 2026-03-15", memory.content());
  }

  @Test
  void create_defaultPolicy_allowsAndStores() {
    MemoryStore store = stores.store();
    assertEquals(SensitiveText.ALLOW, store.config().sensitiveText());
    assertEquals(CARD, store.create(NewMemory.of(CARD)).content());
  }

  @Test
  void runMaintenance_refusePolicy_foldsTextStoredBeforeThePolicy() throws Exception {
    RetentionPolicy window = RetentionPolicy.DEFAULT.withShortTermWindow(1);
    MemoryStore before = stores.open(builder -> builder.retention(window));
    Session session = before.sessions().create("user-1", null, Map.of());
    for (String text : List.of("the door code is 1947", "we planted tomatoes", "bread on Sunday")) {
      before.create(
          NewMemory.builder(text).tier(MemoryTier.SHORT_TERM).sessionId(session.id()).build());
    }
    before.close();
    MemoryStore store =
        stores.open(builder -> builder.retention(window).sensitiveText(SensitiveText.REFUSE));

    MaintenanceReport report = store.lifecycle().runMaintenance();

    assertEquals(2, report.folded(), "a summary the store derives is not refused");
  }

  @Test
  void create_sealPolicyWithoutKey_refusedNeverStoredInClear() throws Exception {
    MemoryStore store = store(SensitiveText.SEAL);

    ValidationException refused =
        assertThrows(
            ValidationException.class,
            () -> store.create(NewMemory.of("my IBAN is DE89 3704 0044 0532 0130 00")));

    assertTrue(refused.getMessage().contains("without a key"), refused.getMessage());
    assertEquals(0, memories());
  }

  @Test
  void createAndUpdate_sealPolicyWithKey_storedSealed() throws Exception {
    Path keyFile = stores.folder().resolve("store.key");
    StoreKey.random().writeNew(keyFile);
    MemoryStore store =
        stores.open(builder -> builder.sensitiveText(SensitiveText.SEAL).encryptionKey(keyFile));

    Memory card = store.create(NewMemory.of(CARD));
    Memory plain = store.create(NewMemory.of("the garage door needs oil"));
    Memory changed =
        store.update(
            plain.id(), MemoryUpdate.builder().content("the garage door code is 6612").build());

    assertTrue(card.sensitive(), "a card number is sealed");
    assertTrue(changed.sensitive(), "a PIN written by an update is sealed");
    assertEquals(CARD, store.get(card.id()).content(), "the key opens it");
    try (RawDatabase raw = RawDatabase.open(stores.file())) {
      assertEquals(2, raw.number("select count(*) from memories where sensitive = 1"));
      assertEquals(
          0,
          raw.number(
              "select count(*) from memories where cast(content as text) like '%1111%'"
                  + " or cast(content as text) like '%6612%'"));
    }
  }
}
