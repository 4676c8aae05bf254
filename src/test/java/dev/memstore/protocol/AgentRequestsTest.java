package dev.memstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryProtocol;
import dev.memstore.MemoryStore;
import dev.memstore.MemoryType;
import dev.memstore.NewMemory;
import dev.memstore.testing.MemoryStoreExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The envelope's source_agent and agent_secret: each request acts as its agent. */
class AgentRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cret-of-the-helper";
  private static final AccessPolicy POLICY =
      AccessPolicy.builder()
          .agent(AgentPolicy.trusted("owner"))
          .agent(
              AgentPolicy.builder("helper")
                  .rights(AgentRight.READ)
                  .types(List.of(MemoryType.SEMANTIC))
                  .secretHash(AgentPolicy.hashSecret(SECRET.toCharArray()))
                  .build())
          .defaultAgent("owner")
          .build();

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withoutModel()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private JsonNode send(MemoryProtocol protocol, String request) throws Exception {
    return JSON.readTree(protocol.handle(request));
  }

  @Test
  void request_asAgent_isAuthenticatedScopedAndRefusedWithDetails() throws Exception {
    MemoryStore store = stores.open(builder -> builder.accessPolicy(POLICY));
    String fact =
        store.create(NewMemory.builder("the zebra fact").type(MemoryType.SEMANTIC).build()).id();
    store.create(NewMemory.builder("the zebra preference").type(MemoryType.PREFERENCE).build());
    MemoryProtocol protocol = MemoryProtocol.over(store);

    JsonNode asOwner = send(protocol, "{\"action\":\"search\",\"payload\":{\"query\":\"zebra\"}}");
    assertEquals("success", asOwner.get("status").asText(), asOwner::toString);
    assertEquals(2, asOwner.get("data").get("total_count").asInt(), asOwner::toString);

    String asHelper =
        "{\"action\":\"search\",\"source_agent\":\"helper\",\"agent_secret\":\""
            + SECRET
            + "\",\"payload\":{\"query\":\"zebra\"}}";
    for (int request = 0; request < 2; request++) {
      JsonNode scoped = send(protocol, asHelper);
      assertEquals("success", scoped.get("status").asText(), scoped::toString);
      assertEquals(1, scoped.get("data").get("total_count").asInt(), scoped::toString);
      assertEquals(fact, scoped.get("data").get("results").get(0).get("memory_id").asText());
    }

    JsonNode wrong =
        send(
            protocol,
            "{\"action\":\"search\",\"source_agent\":\"helper\",\"agent_secret\":\"guess\","
                + "\"payload\":{\"query\":\"zebra\"}}");
    assertEquals("permission_denied", wrong.get("error").get("code").asText(), wrong::toString);
    JsonNode details = wrong.get("error").get("details");
    assertEquals("helper", details.get("agent").asText());
    assertEquals("search", details.get("action").asText());
    assertTrue(details.get("rule").asText().contains("is wrong"), details::toString);
    assertFalse(wrong.toString().contains("guess"), "the secret is never echoed");

    JsonNode missing =
        send(
            protocol,
            "{\"action\":\"read\",\"source_agent\":\"helper\",\"payload\":{\"memory_id\":\""
                + fact
                + "\"}}");
    assertEquals("permission_denied", missing.get("error").get("code").asText(), missing::toString);

    JsonNode delete =
        send(
            protocol,
            "{\"action\":\"delete\",\"source_agent\":\"helper\",\"agent_secret\":\""
                + SECRET
                + "\",\"payload\":{\"memory_id\":\""
                + fact
                + "\"}}");
    assertEquals("permission_denied", delete.get("error").get("code").asText(), delete::toString);
    assertEquals("delete", delete.get("error").get("details").get("action").asText());
    assertTrue(
        delete.get("error").get("details").get("rule").asText().contains("lacks the delete right"));
    assertEquals("the zebra fact", store.get(fact).content(), "nothing was deleted");

    JsonNode stranger = send(protocol, "{\"action\":\"stats\",\"source_agent\":\"stranger\"}");
    assertEquals("permission_denied", stranger.get("error").get("code").asText());
    assertTrue(
        stranger.get("error").get("details").get("rule").asText().contains("not in the store"));
  }

  @Test
  void request_asAgent_onAStoreWithoutPolicy_actsWithEveryRight() throws Exception {
    MemoryStore store = stores.store();
    MemoryProtocol protocol = MemoryProtocol.over(store);
    JsonNode created =
        send(
            protocol,
            "{\"action\":\"create\",\"source_agent\":\"assistant\",\"payload\":{\"content\":\"hi\"}}");
    assertEquals("success", created.get("status").asText(), created::toString);
    JsonNode unknownField = send(protocol, "{\"action\":\"stats\",\"source_agnet\":\"x\"}");
    assertEquals("invalid_request", unknownField.get("error").get("code").asText());
  }
}
