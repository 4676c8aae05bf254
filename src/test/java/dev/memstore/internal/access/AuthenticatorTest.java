package dev.memstore.internal.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.memstore.AgentPolicy;
import dev.memstore.PermissionDeniedException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A secret costs PBKDF2 once; after that, the same secret is checked against a digest. */
class AuthenticatorTest {
  private static final AgentPolicy AGENT =
      AgentPolicy.builder("helper")
          .secretHash(AgentPolicy.hashSecret("right".toCharArray()))
          .build();

  @Test
  void authenticate_sameSecretAgain_skipsPbkdf2_andAWrongOneIsStillChecked() {
    AtomicInteger slowChecks = new AtomicInteger();
    Authenticator authenticator =
        new Authenticator(
            (agent, secret) -> {
              slowChecks.incrementAndGet();
              return agent.matchesSecret(secret);
            });
    for (int request = 0; request < 20; request++) {
      assertDoesNotThrow(() -> authenticator.authenticate(AGENT, "right".toCharArray(), "read"));
    }
    assertEquals(1, slowChecks.get());
    PermissionDeniedException wrong =
        assertThrows(
            PermissionDeniedException.class,
            () -> authenticator.authenticate(AGENT, "wrong".toCharArray(), "read"));
    assertEquals("helper", wrong.agent());
    assertEquals(2, slowChecks.get(), "a secret not verified before pays the full check");
    assertThrows(
        PermissionDeniedException.class, () -> authenticator.authenticate(AGENT, null, "read"));
    assertDoesNotThrow(
        () -> authenticator.authenticate(AgentPolicy.trusted("open"), null, "read"),
        "an agent without a secret hash needs none");
  }
}
