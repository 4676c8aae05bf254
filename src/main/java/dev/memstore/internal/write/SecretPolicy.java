package dev.memstore.internal.write;

import dev.memstore.MemoryUpdate;
import dev.memstore.NewMemory;
import dev.memstore.ValidationException;
import dev.memstore.internal.codec.ContentCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sensitive-text policy on callers' writes (created, extracted from an interaction, or
 * updated): refuse content that looks like a spoken secret, or store it sealed. Text the store
 * derives itself (summaries) is not checked: it repeats stored memories, and refusing it would stop
 * every maintenance run that folds one written before the policy was set.
 */
final class SecretPolicy {
  private final Validator validator;
  private final ContentCodec codec;

  SecretPolicy(Validator validator, ContentCodec codec) {
    this.validator = validator;
    this.codec = codec;
  }

  /**
   * Returns the memories as they are to be stored: those whose content looks like a secret marked
   * sensitive under {@code seal}.
   *
   * @throws ValidationException under {@code refuse}, or under {@code seal} without a key
   */
  List<NewMemory> apply(List<NewMemory> memories) {
    Objects.requireNonNull(memories, "memories");
    List<NewMemory> checked = new ArrayList<>(memories);
    for (int index = 0; index < checked.size(); index++) {
      NewMemory memory = checked.get(index);
      if (memory == null || memory.sensitive()) {
        continue; // refused by the checks that follow, or sealed anyway
      }
      try {
        SecretDetector.Kind secret = validator.sensitiveText("content", memory.content());
        if (secret != null) {
          requireKey(secret);
          checked.set(index, sealed(memory));
        }
      } catch (ValidationException e) {
        throw memories.size() == 1 ? e : Validator.inBatch(index, e);
      }
    }
    return checked;
  }

  /**
   * Returns whether an update's new content must be sealed; an update that seals it anyway is not
   * checked.
   *
   * @throws ValidationException under {@code refuse}, or under {@code seal} without a key
   */
  boolean sealsUpdate(MemoryUpdate update) {
    if (update.changes(MemoryUpdate.Field.SENSITIVE) && update.sensitive()) {
      return false;
    }
    SecretDetector.Kind secret = validator.sensitiveText("content", update.content());
    if (secret == null) {
      return false;
    }
    requireKey(secret);
    return true;
  }

  /** Sealing needs the store key: without one the write is refused rather than stored in clear. */
  private void requireKey(SecretDetector.Kind kind) {
    if (!codec.canSeal()) {
      throw new ValidationException(
          "content",
          "content looks like it holds "
              + kind.description()
              + " and must be sealed (sensitive_text: seal), but this store was opened without a"
              + " key (encryptionKey, --key-file, $MEMSTORE_KEY_FILE); nothing was written");
    }
  }

  private static NewMemory sealed(NewMemory memory) {
    return new NewMemory(
        memory.content(),
        memory.type(),
        memory.tier(),
        memory.sourceAgent(),
        memory.metadata(),
        memory.tags(),
        memory.importance(),
        memory.priority(),
        memory.ttl(),
        memory.parentId(),
        memory.sessionId(),
        memory.userId(),
        memory.agentId(),
        memory.pinned(),
        true,
        memory.embedding(),
        memory.factKey(),
        memory.validFrom(),
        memory.id());
  }
}
