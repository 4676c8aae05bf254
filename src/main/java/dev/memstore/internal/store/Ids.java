package dev.memstore.internal.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Unique, time-ordered ids in the seeds' style: a prefix ({@code mem-}, {@code session-}) and 26
 * characters of Crockford base32 holding 48 bits of milliseconds and 80 random bits (a ULID, lower
 * case). Within one millisecond the random part counts up, so ids of one process sort in creation
 * order even when the clock stands still or steps back.
 */
final class Ids {
  static final String MEMORY_PREFIX = "mem-";
  static final String SESSION_PREFIX = "session-";

  /**
   * Accepts generated ids and the seeds' shorter examples ({@code mem-56789012}); nothing that
   * needs escaping.
   */
  private static final Pattern MEMORY_ID = Pattern.compile("mem-[0-9A-Za-z_-]{1,64}");

  private static final Pattern SESSION_ID = Pattern.compile("session-[0-9A-Za-z_-]{1,64}");
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private long randomHigh;
  private long randomLow;

  String newMemoryId(long millis) {
    return MEMORY_PREFIX + next(millis);
  }

  String newSessionId(long millis) {
    return SESSION_PREFIX + next(millis);
  }

  static boolean isMemoryId(String id) {
    return id != null && MEMORY_ID.matcher(id).matches();
  }

  static boolean isSessionId(String id) {
    return id != null && SESSION_ID.matcher(id).matches();
  }

  private synchronized String next(long millis) {
    if (millis > lastMillis) {
      lastMillis = millis;
      randomHigh = random.nextInt(1 << 16);
      randomLow = random.nextLong();
    } else if (++randomLow == 0 && ++randomHigh == (1 << 16)) {
      // 2^80 ids in one millisecond: borrow the next millisecond rather than repeat.
      lastMillis++;
      randomHigh = 0;
    }
    char[] text = new char[26];
    long time = lastMillis;
    for (int index = 9; index >= 0; index--) {
      text[index] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits: 16 high bits and 64 low bits, written as 16 characters of 5 bits.
    long low = randomLow;
    long high = randomHigh;
    for (int index = 25; index >= 10; index--) {
      text[index] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new String(text);
  }
}
