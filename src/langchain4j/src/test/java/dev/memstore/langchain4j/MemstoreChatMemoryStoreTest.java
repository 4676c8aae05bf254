package dev.memstore.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.memstore.Memory;
import dev.memstore.MemoryFilter;
import dev.memstore.MemorySort;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MemstoreChatMemoryStore} on real files: LangChain4j publishes no abstract test of a chat
 * memory store, so these check its contract (what was stored comes back equal, per conversation,
 * across restarts) and run it under LangChain4j's own {@link MessageWindowChatMemory}.
 */
class MemstoreChatMemoryStoreTest {
  private final TestStores stores = new TestStores();
  private MemstoreChatMemoryStore chats = MemstoreChatMemoryStore.from(stores.store());

  @AfterEach
  void close() {
    stores.close();
  }

  /** One message of every kind LangChain4j has, with the parts each kind may carry. */
  private static List<ChatMessage> everyKind() {
    ToolExecutionRequest request =
        ToolExecutionRequest.builder()
            .id("call-1")
            .name("weather")
            .arguments("{\"city\":\"Oslo\"}")
            .build();
    return List.of(
        SystemMessage.from("You are terse."),
        UserMessage.from("Hi"),
        UserMessage.builder()
            .name("alice")
            .contents(
                List.of(
                    TextContent.from("What is in this picture?"),
                    ImageContent.from("https://example.org/cat.png")))
            .build(),
        AiMessage.builder()
            .text("Let me check the weather.")
            .thinking("The user wants the weather in Oslo.")
            .toolExecutionRequests(List.of(request))
            .build(),
        AiMessage.from(List.of(request)),
        ToolExecutionResultMessage.from(request, "12 degrees and rain"),
        CustomMessage.from(Map.of("kind", "note", "count", 3)),
        AiMessage.from("It is 12 degrees and raining in Oslo."));
  }

  @Test
  void updateMessages_everyKindOfMessage_comesBackEqual() {
    chats.updateMessages("conversation-1", everyKind());

    assertEquals(everyKind(), chats.getMessages("conversation-1"));
  }

  @Test
  void getMessages_afterRestart_returnsWhatWasStored() {
    chats.updateMessages("conversation-1", everyKind());

    chats = MemstoreChatMemoryStore.from(stores.reopen());

    assertEquals(everyKind(), chats.getMessages("conversation-1"));
  }

  @Test
  void updateMessages_repeatedTurns_areKeptApart() {
    List<ChatMessage> messages =
        List.of(
            UserMessage.from("yes"),
            AiMessage.from("Shall I go on?"),
            UserMessage.from("yes"),
            AiMessage.from("Shall I go on?"),
            UserMessage.from("yes"));

    chats.updateMessages(42L, messages);

    assertEquals(messages, chats.getMessages(42L));
    assertEquals(5, storedMemories().size());
  }

  @Test
  void updateMessages_sameTurnInTwoConversations_isStoredInEach() {
    chats.updateMessages("a", List.of(UserMessage.from("yes")));
    chats.updateMessages("b", List.of(UserMessage.from("yes")));

    assertEquals(List.of(UserMessage.from("yes")), chats.getMessages("a"));
    assertEquals(List.of(UserMessage.from("yes")), chats.getMessages("b"));
  }

  @Test
  void updateMessages_windowSlides_keepsTheSurvivingMemoriesAndAddsOnlyTheNewOne() {
    List<ChatMessage> first =
        List.of(UserMessage.from("one"), AiMessage.from("two"), UserMessage.from("three"));
    chats.updateMessages("window", first);
    List<String> before = storedMemories().stream().map(Memory::id).toList();

    List<ChatMessage> slid =
        List.of(AiMessage.from("two"), UserMessage.from("three"), AiMessage.from("four"));
    chats.updateMessages("window", slid);

    List<String> after = storedMemories().stream().map(Memory::id).toList();
    assertEquals(slid, chats.getMessages("window"));
    assertEquals(
        before.subList(1, 3), after.subList(0, 2), "the surviving messages stay as stored");
    assertEquals(3, after.size());
  }

  @Test
  void updateMessages_windowSlidesPastAKeptSystemMessage_rewritesNothingItKept() {
    chats.updateMessages(
        "system",
        List.of(SystemMessage.from("be brief"), UserMessage.from("one"), AiMessage.from("two")));
    List<String> before = storedMemories().stream().map(Memory::id).toList();

    List<ChatMessage> slid =
        List.of(SystemMessage.from("be brief"), AiMessage.from("two"), UserMessage.from("three"));
    chats.updateMessages("system", slid);

    List<String> after = storedMemories().stream().map(Memory::id).toList();
    assertEquals(slid, chats.getMessages("system"));
    assertEquals(List.of(before.get(0), before.get(2)), after.subList(0, 2));
  }

  @Test
  void updateMessages_withAnUnrelatedList_replacesTheConversation() {
    chats.updateMessages("c", List.of(UserMessage.from("one"), AiMessage.from("two")));

    chats.updateMessages("c", List.of(SystemMessage.from("new start"), UserMessage.from("one")));

    assertEquals(
        List.of(SystemMessage.from("new start"), UserMessage.from("one")), chats.getMessages("c"));
    assertEquals(2, storedMemories().size());
  }

  @Test
  void updateMessages_withAnEmptyList_emptiesTheConversation() {
    chats.updateMessages("c", List.of(UserMessage.from("one")));

    chats.updateMessages("c", List.of());

    assertEquals(List.of(), chats.getMessages("c"));
  }

  @Test
  void deleteMessages_removesOneConversationOnly() {
    chats.updateMessages("gone", List.of(UserMessage.from("forget me")));
    chats.updateMessages("kept", List.of(UserMessage.from("keep me")));
    Memory own = stores.store().create(NewMemory.of("the assistant's own memory"));

    chats.deleteMessages("gone");

    assertEquals(List.of(), chats.getMessages("gone"));
    assertEquals(List.of(UserMessage.from("keep me")), chats.getMessages("kept"));
    assertEquals(own.content(), stores.store().get(own.id()).content());
  }

  @Test
  void getMessages_ofAnUnknownConversation_isEmpty() {
    assertEquals(List.of(), chats.getMessages("never-seen"));
  }

  @Test
  void nullOrBlankMemoryId_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> chats.getMessages(null));
    assertThrows(IllegalArgumentException.class, () -> chats.updateMessages(" ", List.of()));
    assertThrows(IllegalArgumentException.class, () -> chats.deleteMessages(null));
  }

  @Test
  void storedMessages_areConversationMemoriesFoundBySearch() {
    chats.updateMessages(
        "trip", List.of(UserMessage.from("I am flying to Lisbon on Friday"), AiMessage.from("ok")));

    List<Memory> memories = storedMemories();
    assertTrue(memories.stream().allMatch(memory -> memory.type() == MemoryType.CONVERSATION));
    assertTrue(memories.stream().allMatch(Memory::pinned));
    assertEquals(
        "I am flying to Lisbon on Friday",
        stores.store().search(SearchQuery.of("trip to Lisbon")).hits().get(0).memory().content());
  }

  @Test
  void messageWindowChatMemory_overThisStore_keepsTheWindowAcrossRestarts() {
    ChatMemory memory =
        MessageWindowChatMemory.builder()
            .id("user-7")
            .maxMessages(3)
            .chatMemoryStore(chats)
            .build();
    List<ChatMessage> said = new ArrayList<>();
    for (int turn = 1; turn <= 3; turn++) {
      said.add(UserMessage.from("yes"));
      said.add(AiMessage.from("answer " + turn));
      memory.add(said.get(said.size() - 2));
      memory.add(said.get(said.size() - 1));
    }

    ChatMemory reopened =
        MessageWindowChatMemory.builder()
            .id("user-7")
            .maxMessages(3)
            .chatMemoryStore(MemstoreChatMemoryStore.from(stores.reopen()))
            .build();

    assertEquals(said.subList(3, 6), reopened.messages());
  }

  private List<Memory> storedMemories() {
    return stores
        .store()
        .list(
            MemoryFilter.builder().tagsAll(List.of(MemstoreChatMemoryStore.DEFAULT_TAG)).build(),
            MemorySort.OLDEST_FIRST,
            0,
            100)
        .items();
  }
}
