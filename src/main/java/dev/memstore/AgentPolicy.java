package dev.memstore;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What one agent may do with a store: its rights, the memories it may reach (its scope), its rate
 * limits and, when it must authenticate, the hash of its secret (never the secret). Part of an
 * {@link AccessPolicy}. Immutable and thread-safe; build with {@link #builder(String)}.
 *
 * <p>The scope is three sets: memory types, tiers and users. An empty set allows every value; a
 * memory lies in the scope when its type, tier and user are each allowed (a scope of users leaves
 * out memories without a user).
 */
public final class AgentPolicy {
  /** The PBKDF2 iterations of a new secret hash (OWASP's 2023 advice for HMAC-SHA256). */
  public static final int HASH_ITERATIONS = 210_000;

  /** The prefix of a secret hash, which names its algorithm. */
  public static final String HASH_PREFIX = "pbkdf2-sha256";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HASH =
      Pattern.compile(
          Pattern.quote(HASH_PREFIX) + "\\$[0-9]{4,9}\\$[A-Za-z0-9_-]{16,88}\\$[A-Za-z0-9_-]{43}");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final String name;
  private final String secretHash;
  private final Set<AgentRight> rights;
  private final Set<MemoryType> types;
  private final Set<MemoryTier> tiers;
  private final Set<String> users;
  private final double requestsPerSecond;
  private final double writesPerSecond;

  private AgentPolicy(Builder builder) {
    this.name = builder.name;
    this.secretHash = builder.secretHash;
    this.rights = builder.rights.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(builder.rights));
    this.types = Set.copyOf(builder.types);
    this.tiers = Set.copyOf(builder.tiers);
    this.users = Set.copyOf(builder.users);
    this.requestsPerSecond = builder.requestsPerSecond;
    this.writesPerSecond = builder.writesPerSecond;
  }

  /**
   * Returns a builder for the agent of this name (1 to 64 letters, digits, dots, dashes or
   * underscores, starting with a letter or digit), with no rights, no secret, no limits and a scope
   * of every memory.
   *
   * @throws IllegalArgumentException naming the value when the name is not of that form
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns a policy for an agent with every right, every memory in scope, no secret and no limits:
   * what a store without a policy grants.
   */
  public static AgentPolicy trusted(String name) {
    return builder(name).rights(EnumSet.allOf(AgentRight.class)).build();
  }

  /**
   * Returns the hash of a secret, ready for {@link Builder#secretHash} or a config file: {@code
   * pbkdf2-sha256$ITERATIONS$SALT$HASH} with PBKDF2-HMAC-SHA256, a random 16-byte salt and {@link
   * #HASH_ITERATIONS} iterations, salt and hash in unpadded URL-safe Base64. Takes about 0.1 to 0.3
   * s on purpose. The caller may clear the secret afterwards.
   *
   * @throws IllegalArgumentException when the secret is empty
   */
  public static String hashSecret(char[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("an agent's secret must not be empty");
    }
    byte[] salt = new byte[SALT_BYTES];
    new SecureRandom().nextBytes(salt);
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return HASH_PREFIX
        + "$"
        + HASH_ITERATIONS
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(pbkdf2(secret, salt, HASH_ITERATIONS));
  }

  /** PBKDF2-HMAC-SHA256 of a secret; shared with the check of a presented secret. */
  static byte[] pbkdf2(char[] secret, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * Returns whether the secret matches this agent's secret hash, comparing in constant time; false
   * when the agent has no secret hash. Costs one PBKDF2 run.
   */
  public boolean matchesSecret(char[] secret) {
    if (secretHash == null || secret == null || secret.length == 0) {
      return false;
    }
    String[] parts = secretHash.split("\\$");
    Base64.Decoder base64 = Base64.getUrlDecoder();
    byte[] expected = base64.decode(parts[3]);
    byte[] actual = pbkdf2(secret, base64.decode(parts[2]), Integer.parseInt(parts[1]));
    boolean equal = MessageDigest.isEqual(expected, actual);
    Arrays.fill(actual, (byte) 0);
    return equal;
  }

  /** Returns the agent's name. */
  public String name() {
    return name;
  }

  /** Returns the hash of the agent's secret, or null when it need not authenticate. */
  public String secretHash() {
    return secretHash;
  }

  /** Returns the rights granted. */
  public Set<AgentRight> rights() {
    return rights;
  }

  /** Returns whether the agent has the right. */
  public boolean has(AgentRight right) {
    return rights.contains(right);
  }

  /** Returns the memory types in scope (empty: every type). */
  public Set<MemoryType> types() {
    return types;
  }

  /** Returns the tiers in scope (empty: every tier). */
  public Set<MemoryTier> tiers() {
    return tiers;
  }

  /** Returns the users in scope (empty: every user, and memories without one). */
  public Set<String> users() {
    return users;
  }

  /** Returns whether the scope leaves some memories out. */
  public boolean isScoped() {
    return !types.isEmpty() || !tiers.isEmpty() || !users.isEmpty();
  }

  /** Returns the most requests per second, or 0 for no limit. */
  public double requestsPerSecond() {
    return requestsPerSecond;
  }

  /** Returns the most writes per second, or 0 for no limit. */
  public double writesPerSecond() {
    return writesPerSecond;
  }

  /** Returns the scope in words, as a refusal names it: {@code types fact; users alice}. */
  public String describeScope() {
    StringBuilder text = new StringBuilder();
    if (!types.isEmpty()) {
      text.append("types ").append(String.join(", ", sortedNames(types)));
    }
    if (!tiers.isEmpty()) {
      text.append(text.isEmpty() ? "" : "; ").append("tiers ");
      text.append(String.join(", ", sortedNames(tiers)));
    }
    if (!users.isEmpty()) {
      text.append(text.isEmpty() ? "" : "; ").append("users ");
      text.append(String.join(", ", new TreeSet<>(users)));
    }
    return text.isEmpty() ? "every memory" : text.toString();
  }

  private static List<String> sortedNames(Set<? extends Enum<?>> values) {
    return values.stream().map(value -> value.name().toLowerCase(Locale.ROOT)).sorted().toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AgentPolicy that
        && name.equals(that.name)
        && Objects.equals(secretHash, that.secretHash)
        && rights.equals(that.rights)
        && types.equals(that.types)
        && tiers.equals(that.tiers)
        && users.equals(that.users)
        && requestsPerSecond == that.requestsPerSecond
        && writesPerSecond == that.writesPerSecond;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, secretHash, rights, types, tiers, users);
  }

  /** Returns the policy in words, without the secret hash. */
  @Override
  public String toString() {
    return "AgentPolicy["
        + name
        + ", rights "
        + rights
        + ", scope "
        + describeScope()
        + (secretHash == null ? "" : ", with secret")
        + "]";
  }

  /** Builds an {@link AgentPolicy}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String secretHash;
    private Set<AgentRight> rights = Set.of();
    private Set<MemoryType> types = Set.of();
    private Set<MemoryTier> tiers = Set.of();
    private Set<String> users = Set.of();
    private double requestsPerSecond;
    private double writesPerSecond;

    private Builder(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "an agent's name must be 1 to 64 letters, digits, dots, dashes or underscores,"
                + " starting with a letter or digit, was '"
                + name
                + "'");
      }
      this.name = name;
    }

    /**
     * Requires the agent to present the secret of this hash, made by {@link
     * AgentPolicy#hashSecret}; null for none.
     *
     * @throws IllegalArgumentException when the hash is not of that form
     */
    public Builder secretHash(String secretHash) {
      if (secretHash != null && !HASH.matcher(secretHash).matches()) {
        throw new IllegalArgumentException(
            "the secret hash of agent "
                + name
                + " must look like "
                + HASH_PREFIX
                + "$ITERATIONS$SALT$HASH, as memctl agents hash prints it");
      }
      this.secretHash = secretHash;
      return this;
    }

    /** The rights granted. Default: none. */
    public Builder rights(Collection<AgentRight> rights) {
      this.rights = Set.copyOf(rights);
      return this;
    }

    /** The rights granted. Default: none. */
    public Builder rights(AgentRight... rights) {
      return rights(List.of(rights));
    }

    /** The memory types in scope. Default: empty, every type. */
    public Builder types(Collection<MemoryType> types) {
      this.types = Set.copyOf(types);
      return this;
    }

    /** The tiers in scope. Default: empty, every tier. */
    public Builder tiers(Collection<MemoryTier> tiers) {
      this.tiers = Set.copyOf(tiers);
      return this;
    }

    /** The users in scope. Default: empty, every user. */
    public Builder users(Collection<String> users) {
      for (String user : users) {
        if (user == null || user.isBlank()) {
          throw new IllegalArgumentException("agent " + name + " names a blank user in its scope");
        }
      }
      this.users = Set.copyOf(users);
      return this;
    }

    /**
     * The most requests per second, 0 (no limit) to 1,000,000.
     *
     * @throws IllegalArgumentException naming the value when out of range
     */
    public Builder requestsPerSecond(double requestsPerSecond) {
      this.requestsPerSecond = rate("requestsPerSecond", requestsPerSecond);
      return this;
    }

    /**
     * The most writes per second, 0 (no limit) to 1,000,000.
     *
     * @throws IllegalArgumentException naming the value when out of range
     */
    public Builder writesPerSecond(double writesPerSecond) {
      this.writesPerSecond = rate("writesPerSecond", writesPerSecond);
      return this;
    }

    private double rate(String field, double value) {
      if (!(value >= 0 && value <= 1_000_000)) {
        throw new IllegalArgumentException(
            field + " of agent " + name + " must be between 0 and 1000000, was " + value);
      }
      return value;
    }

    /** Returns the policy. */
    public AgentPolicy build() {
      return new AgentPolicy(this);
    }
  }
}
