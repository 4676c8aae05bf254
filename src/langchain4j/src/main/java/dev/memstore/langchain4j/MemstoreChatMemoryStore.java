package dev.memstore.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryTier;
import dev.memstore.MemoryType;
import dev.memstore.MetadataFilter;
import dev.memstore.NewMemory;
import dev.memstore.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A LangChain4j {@link ChatMemoryStore} in a memstore file: {@code
 * MessageWindowChatMemory.builder().id(userId).maxMessages(20)
 * .chatMemoryStore(MemstoreChatMemoryStore.from(store)).build()}. Thread-safe; the messages of a
 * conversation survive restarts and crashes.
 *
 * <p>Each message is a memory of type {@link MemoryType#CONVERSATION}: its text as the content, so
 * that memstore's search finds it too, and the whole message as LangChain4j's {@link
 * ChatMessageSerializer} writes it in the metadata, so that every kind of message (system, user
 * with images or other contents, AI with tool requests and thinking, tool results, custom) comes
 * back equal to what was stored. The conversation's id ({@code memoryId.toString()}) and the
 * message's position are metadata fields too; the memories carry the store's tag ({@value
 * #DEFAULT_TAG} by default). They are long-term and pinned, so decay, pruning and eviction leave
 * them to LangChain4j, and each has an id of its own, so a repeated turn ("yes", "yes") is two
 * messages, never folded into one by memstore's duplicate detection.
 *
 * <p>{@link #updateMessages} stores only what changed: the stored messages that the new list still
 * holds in the same order stay (a window slides past old turns, a system message stays first), the
 * others are deleted, and the messages after them are added; anything else (a message inserted in
 * the middle, say) rewrites the rest of the conversation. It writes the new messages before
 * deleting the dropped ones, so that a crash in between leaves a conversation with a message too
 * many, never one too few. A message is at most the store's content limit (1 MiB by default) as
 * JSON.
 */
public final class MemstoreChatMemoryStore implements ChatMemoryStore {
  /** The tag of the memories of a store built without one. */
  public static final String DEFAULT_TAG = "langchain4j-chat";

  /** The metadata field holding the conversation's id. */
  public static final String CONVERSATION_FIELD = "langchain4j_conversation";

  /** The metadata field holding the message's position in its conversation. */
  public static final String POSITION_FIELD = "langchain4j_position";

  /** The metadata field holding the message as LangChain4j's JSON. */
  public static final String MESSAGE_FIELD = "langchain4j_message";

  private static final int PAGE = 1000;

  private final MemoryStore store;
  private final String tag;

  /** One lock per conversation, so that two updates of one conversation do not interleave. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private MemstoreChatMemoryStore(MemoryStore store, String tag) {
    this.store = store;
    this.tag = tag;
  }

  /** Returns a chat memory store over the memory store, with the default tag. */
  public static MemstoreChatMemoryStore from(MemoryStore store) {
    return from(store, DEFAULT_TAG);
  }

  /**
   * Returns a chat memory store over the memory store that keeps its memories under the tag.
   *
   * @throws IllegalArgumentException when the tag is blank
   */
  public static MemstoreChatMemoryStore from(MemoryStore store, String tag) {
    Objects.requireNonNull(store, "store");
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("the tag must not be blank");
    }
    return new MemstoreChatMemoryStore(store, tag);
  }

  @Override
  public List<ChatMessage> getMessages(Object memoryId) {
    String conversation = conversation(memoryId);
    List<ChatMessage> messages = new ArrayList<>();
    for (Memory memory : stored(conversation)) {
      messages.add(ChatMessageDeserializer.messageFromJson(json(memory)));
    }
    return messages;
  }

  @Override
  public void updateMessages(Object memoryId, List<ChatMessage> messages) {
    String conversation = conversation(memoryId);
    Objects.requireNonNull(messages, "messages");
    List<String> wanted = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      wanted.add(ChatMessageSerializer.messageToJson(Objects.requireNonNull(message, "message")));
    }
    synchronized (locks.computeIfAbsent(conversation, key -> new Object())) {
      List<Memory> stored = stored(conversation);
      // Stored messages that the new list still holds, in the same order, stay as they are; the
      // others go; what follows the last kept one in the new list is added.
      List<Memory> gone = new ArrayList<>();
      int matched = 0;
      for (Memory memory : stored) {
        if (matched < wanted.size() && json(memory).equals(wanted.get(matched))) {
          matched++;
        } else {
          gone.add(memory);
        }
      }
      long next = stored.isEmpty() ? 0 : position(stored.get(stored.size() - 1)) + 1;
      List<NewMemory> added = new ArrayList<>();
      for (int index = matched; index < messages.size(); index++) {
        added.add(memoryOf(conversation, next++, messages.get(index), wanted.get(index)));
      }
      if (!added.isEmpty()) {
        store.createAll(added);
      }
      if (!gone.isEmpty()) {
        store.deleteAll(gone.stream().map(Memory::id).toList(), false);
      }
    }
  }

  @Override
  public void deleteMessages(Object memoryId) {
    String conversation = conversation(memoryId);
    synchronized (locks.computeIfAbsent(conversation, key -> new Object())) {
      store.deleteMatching(ofConversation(conversation));
    }
  }

  /** The conversation's memories, in order. */
  private List<Memory> stored(String conversation) {
    MemoryFilter filter = ofConversation(conversation);
    List<Memory> memories = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      Page<Memory> page = store.list(filter, MemorySort.OLDEST_FIRST, offset, PAGE);
      memories.addAll(page.items());
      if (page.items().size() < PAGE) {
        break;
      }
    }
    memories.sort(Comparator.comparingLong(MemstoreChatMemoryStore::position));
    return memories;
  }

  private MemoryFilter ofConversation(String conversation) {
    return MemoryFilter.builder()
        .tagsAll(List.of(tag))
        .metadata(MetadataFilter.eq(CONVERSATION_FIELD, conversation))
        .build();
  }

  private NewMemory memoryOf(String conversation, long position, ChatMessage message, String json) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put(CONVERSATION_FIELD, conversation);
    metadata.put(POSITION_FIELD, position);
    metadata.put(MESSAGE_FIELD, json);
    return NewMemory.builder(textOf(message))
        .id("mem-" + UUID.randomUUID())
        .type(MemoryType.CONVERSATION)
        .tier(MemoryTier.LONG_TERM)
        .pinned(true)
        .tags(tag)
        .metadata(metadata)
        .build();
  }

  /** The words of a message, for memstore's search; a label when it has none. */
  static String textOf(ChatMessage message) {
    String text = null;
    if (message instanceof SystemMessage system) {
      text = system.text();
    } else if (message instanceof UserMessage user) {
      text =
          user.contents().stream()
              .filter(TextContent.class::isInstance)
              .map(content -> ((TextContent) content).text())
              .collect(Collectors.joining("\n"));
    } else if (message instanceof AiMessage ai) {
      text = ai.text();
    } else if (message instanceof ToolExecutionResultMessage result) {
      text = result.text();
    }
    return text == null || text.isBlank()
        ? "(" + message.type().name().toLowerCase(Locale.ROOT) + " message)"
        : text;
  }

  private static String json(Memory memory) {
    return (String) memory.metadata().get(MESSAGE_FIELD);
  }

  private static long position(Memory memory) {
    return ((Number) memory.metadata().get(POSITION_FIELD)).longValue();
  }

  private static String conversation(Object memoryId) {
    if (memoryId == null) {
      throw new IllegalArgumentException("memoryId cannot be null");
    }
    String conversation = memoryId.toString();
    if (conversation.isBlank()) {
      throw new IllegalArgumentException("memoryId cannot be blank");
    }
    return conversation;
  }
}
