package dev.memstore.internal.access;

import dev.memstore.AgentPolicy;
import dev.memstore.PermissionDeniedException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Checks the secrets agents present against their policies' PBKDF2 hashes. PBKDF2 is slow on
 * purpose (a fraction of a second), too slow for every protocol request: a secret once verified is
 * remembered as a SHA-256 digest of the hash and the secret (never the secret itself), and a later
 * request that presents the same secret is checked against that digest in constant time.
 * Thread-safe; one per store.
 */
final class Authenticator {
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private final BiPredicate<AgentPolicy, char[]> pbkdf2;

  Authenticator() {
    this(AgentPolicy::matchesSecret);
  }

  /** With another check of a secret against its hash: for tests that count the slow checks. */
  Authenticator(BiPredicate<AgentPolicy, char[]> pbkdf2) {
    this.pbkdf2 = pbkdf2;
  }

  /**
   * Returns normally when the agent needs no secret or the secret is its own.
   *
   * @throws PermissionDeniedException naming the agent when the secret is missing or wrong
   */
  void authenticate(AgentPolicy agent, char[] secret, String action) {
    if (agent.secretHash() == null) {
      return;
    }
    if (secret == null || secret.length == 0) {
      throw new PermissionDeniedException(
          agent.name(),
          action,
          "agent "
              + agent.name()
              + " must present its secret (builder agent(name, secret), memctl"
              + " --agent-secret-file or MEMSTORE_AGENT_SECRET, or the request's agent_secret)");
    }
    byte[] digest = digest(agent.secretHash(), secret);
    byte[] known = verified.get(agent.name());
    if (known != null && MessageDigest.isEqual(known, digest)) {
      return;
    }
    if (!pbkdf2.test(agent, secret)) {
      throw new PermissionDeniedException(
          agent.name(), action, "the secret presented for agent " + agent.name() + " is wrong");
    }
    verified.put(agent.name(), digest);
  }

  private static byte[] digest(String hash, char[] secret) {
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(hash.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(bytes.duplicate());
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    } finally {
      if (bytes.hasArray()) {
        Arrays.fill(bytes.array(), (byte) 0);
      }
    }
  }
}
