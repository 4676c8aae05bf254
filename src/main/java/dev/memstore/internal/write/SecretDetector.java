package dev.memstore.internal.write;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says whether a text looks like it holds a spoken secret: a PIN, a payment card number, a password
 * or an IBAN. Tuned for few false alarms on ordinary speech with numbers (phone numbers, years,
 * rooms, prices, zip codes): a PIN needs a word such as PIN, passcode or door code right before it
 * (or after it: "4821 is my PIN"), a card number must pass the Luhn check and start as cards do, an
 * IBAN must have its country's length and pass the mod-97 check, a password needs "password is" or
 * "password:" followed by something that is not an ordinary word. Digits said one by one ("4 8 2
 * 1") count; numbers spelled out in words ("four eight two one") do not. Thread-safe and stateless.
 */
public final class SecretDetector {
  /** What a secret looks like, with the words that name it in a refusal. */
  public enum Kind {
    PIN("a PIN or access code"),
    CARD_NUMBER("a payment card number"),
    PASSWORD("a password"),
    IBAN("an IBAN (bank account number)");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** Returns the kind in words, such as {@code a payment card number}. */
    public String description() {
      return description;
    }
  }

  /** A number of 4 to 8 digits, possibly said one by one or in groups. */
  private static final String PIN_DIGITS =
      "(?<![\\d.,/:+-])\\d(?:[ -]?\\d){3,7}(?![\\d]|[.,:/]\\d)";

  /**
   * The words that name a PIN. A bare "code" counts unless a word before it says it is another kind
   * of code (zip code, area code, error code): {@link #NOT_SECRET_CODES}.
   */
  private static final String PIN_WORDS =
      "(?:(?:sim\\s+|atm\\s+|card\\s+|bank\\s+|phone\\s+)?pin(?:\\s+(?:code|number))?"
          + "|pass\\s?code|passcode|code|cvv|cvc|cvv2|security\\s+number)";

  /** Words that may stand between the PIN's name and the number: "my PIN is 4821". */
  private static final String PIN_LINK =
      "(?:\\s*(?:is|was|=|:|-)?\\s*"
          + "|\\s+(?:for|to|of|on)\\s+(?:the\\s+|my\\s+|our\\s+|your\\s+)?[\\p{L}-]+"
          + "(?:\\s+[\\p{L}-]+)?\\s*(?:is|was|:|=)\\s*"
          + "|\\s+(?:is|was)\\s+(?:still\\s+|now\\s+|just\\s+)?)";

  private static final Pattern PIN_BEFORE =
      Pattern.compile(
          "(?:^|[^\\p{L}\\d])(?:(\\p{L}+)[\\s-]+)?("
              + PIN_WORDS
              + ")("
              + PIN_LINK
              + ")("
              + PIN_DIGITS
              + ")",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private static final Pattern PIN_AFTER =
      Pattern.compile(
          "("
              + PIN_DIGITS
              + ")\\s+(?:is|was)\\s+(?:my|the|our|your|his|her|their)\\s+"
              + "(?:(\\p{L}+)\\s+)?"
              + PIN_WORDS
              + "(?![\\p{L}])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** Kinds of code that are not secrets: a "zip code 94103" is not a PIN. */
  private static final Set<String> NOT_SECRET_CODES =
      words(
          "zip postal post postcode area country dialing dialling error status exit return "
              + "source promo promotional discount coupon voucher dress bar qr morse tax product "
              + "course class airport iata icao flight colour color hex zoning building penal "
              + "civil criminal traffic legal billing diagnostic fault trouble sort routing swift "
              + "bic language currency python java");

  /**
   * Kinds of code that are secrets even without "is" before the number: "door code 1947". A bare
   * "code" needs "is", "was" or a colon ("the code is 1947"), so that "Advent of Code 2023" is no
   * PIN.
   */
  private static final Set<String> SECRET_CODES =
      words(
          "door gate alarm garage access security entry lock safe keypad unlock "
              + "verification login phone sim card bank atm voicemail wifi router locker mailbox "
              + "pin pass secret");

  private static final Pattern ASSERTING_LINK =
      Pattern.compile("(?i).*(?:\\bis\\b|\\bwas\\b|[:=]).*");

  /** 13 to 19 digits, in groups separated by single spaces or dashes. */
  private static final Pattern CARD =
      Pattern.compile("(?<![\\d+.,/-])\\d(?:[ -]?\\d){12,18}(?![\\d]|[.,/-]\\d)");

  private static final Pattern PASSWORD =
      Pattern.compile(
          "(?:^|[^\\p{L}])(?:password|passwort|passphrase|passwd|pwd|pw)(?:\\s+"
              + "(?:for|to|of|on)\\s+(?:the\\s+|my\\s+|our\\s+)?[\\p{L}\\d.@_-]+"
              + "(?:\\s+[\\p{L}\\d.@_-]+)?)?"
              + "(?:\\s*(:|=)|\\s+(?:is|was|would\\s+be|will\\s+be)(?:\\s+now|\\s+still)?)"
              + "\\s*[\"'\u201c\u2018]?([^\\s\"'\u201d\u2019]+)",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /**
   * Words that follow "password is" in ordinary speech without being the password: "my password is
   * too short", "the password is stored in the vault".
   */
  private static final Set<String> NOT_PASSWORDS =
      words(
          "a an the my your our his her their its this that same not no too very so still "
              + "now also just only all in on at for of to with from by about and or but if when "
              + "what which who how where there here it something nothing anything everything "
              + "wrong right correct incorrect invalid valid weak strong long short old new easy "
              + "hard simple secure insecure safe secret required needed optional saved stored "
              + "written kept set reset changed expired expiring locked unknown forgotten lost "
              + "different case sensitive protected hidden encrypted complicated complex good bad "
              + "fine ok okay none null empty blank one two three four five six seven eight nine "
              + "ten twelve sixteen characters letters digits being getting going probably "
              + "definitely somewhere due up out off back managed handled shared known given sent "
              + "mine yours mandatory temporary personal private confidential important obvious "
              + "random great nice terrible horrible awful stupid silly funny weird useless "
              + "impossible x xxx y n");

  private static final Pattern IBAN_START =
      Pattern.compile("(?<![\\p{L}\\d])([A-Za-z]{2})(\\d{2})(?=[ ]?[A-Za-z0-9])");

  /** The length of an IBAN in each country that issues them (ISO 13616 registry). */
  private static final Map<String, Integer> IBAN_LENGTHS =
      lengths(
          "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 "
              + "CZ24 DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 "
              + "GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 "
              + "LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 "
              + "PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SD18 SE24 SI19 SK24 SM27 "
              + "ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20");

  private static Set<String> words(String words) {
    return Set.of(words.split(" "));
  }

  /** Country codes with their IBAN's length, from entries such as {@code DE22}. */
  private static Map<String, Integer> lengths(String entries) {
    Map<String, Integer> lengths = new HashMap<>();
    for (String entry : entries.split(" ")) {
      lengths.put(entry.substring(0, 2), Integer.parseInt(entry.substring(2)));
    }
    return Map.copyOf(lengths);
  }

  /** Returns the first kind of secret the text seems to hold, checked in a fixed order. */
  public Optional<Kind> find(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    // Cheap tests first: most texts have no digits or never name a PIN or password, and the
    // patterns cost about a second on a megabyte of text.
    boolean digits = hasDigit(text);
    String lower = text.toLowerCase(Locale.ROOT);
    if (digits && hasCardNumber(text)) {
      return Optional.of(Kind.CARD_NUMBER);
    }
    if (digits && hasIban(text)) {
      return Optional.of(Kind.IBAN);
    }
    if ((lower.contains("pass") || lower.contains("pw")) && hasPassword(text)) {
      return Optional.of(Kind.PASSWORD);
    }
    if (digits && namesPin(lower) && hasPin(text)) {
      return Optional.of(Kind.PIN);
    }
    return Optional.empty();
  }

  private static boolean hasDigit(String text) {
    for (int index = 0; index < text.length(); index++) {
      char next = text.charAt(index);
      if (next >= '0' && next <= '9') {
        return true;
      }
    }
    return false;
  }

  private static boolean namesPin(String lower) {
    return lower.contains("pin")
        || lower.contains("code")
        || lower.contains("cvv")
        || lower.contains("cvc")
        || lower.contains("security number");
  }

  private static boolean hasPin(String text) {
    Matcher before = PIN_BEFORE.matcher(text);
    while (before.find()) {
      String wordBefore = before.group(1);
      if (isOtherCode(wordBefore)) {
        continue;
      }
      boolean bareCode = before.group(2).equalsIgnoreCase("code");
      if (!bareCode
          || (wordBefore != null && SECRET_CODES.contains(wordBefore.toLowerCase(Locale.ROOT)))
          || ASSERTING_LINK.matcher(before.group(3)).matches()) {
        return true;
      }
    }
    Matcher after = PIN_AFTER.matcher(text);
    while (after.find()) {
      if (!isOtherCode(after.group(2))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOtherCode(String wordBefore) {
    return wordBefore != null && NOT_SECRET_CODES.contains(wordBefore.toLowerCase(Locale.ROOT));
  }

  private static boolean hasCardNumber(String text) {
    Matcher matcher = CARD.matcher(text);
    while (matcher.find()) {
      // A run of groups may end with a number said after the card's ("... 1111 and 12"): each
      // prefix that ends at a group's end is a candidate.
      StringBuilder digits = new StringBuilder(19);
      for (String group : matcher.group().split("[ -]")) {
        digits.append(group);
        if (digits.length() > 19) {
          break;
        }
        if (digits.length() >= 13 && isCardNumber(digits.toString())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isCardNumber(String digits) {
    return startsAsCard(digits) && passesLuhn(digits);
  }

  /**
   * Whether the number starts as a card network's numbers do (American Express, Diners, JCB, Visa,
   * Mastercard, Discover, UnionPay, Maestro, Mir): ordinary long numbers such as timestamps,
   * tracking and phone numbers mostly do not.
   */
  static boolean startsAsCard(String digits) {
    int two = Integer.parseInt(digits.substring(0, 2));
    int four = Integer.parseInt(digits.substring(0, 4));
    return digits.charAt(0) == '4'
        || (two >= 51 && two <= 55)
        || (four >= 2221 && four <= 2720)
        || two == 34
        || two == 37
        || two == 36
        || two == 38
        || two == 30
        || two == 35
        || two == 62
        || two == 65
        || four == 6011
        || (two >= 64 && two <= 65)
        || two == 50
        || (two >= 56 && two <= 69)
        || (four >= 2200 && four <= 2204);
  }

  /** The Luhn checksum of payment card numbers. */
  static boolean passesLuhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int index = digits.length() - 1; index >= 0; index--) {
      int digit = digits.charAt(index) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  private static boolean hasIban(String text) {
    Matcher matcher = IBAN_START.matcher(text);
    while (matcher.find()) {
      String country = matcher.group(1).toUpperCase(Locale.ROOT);
      Integer length = IBAN_LENGTHS.get(country);
      if (length == null) {
        continue;
      }
      String iban = ibanAt(text, matcher.start(), length);
      if (iban != null && passesMod97(iban)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the IBAN of exactly {@code length} letters and digits starting at {@code start},
   * skipping single spaces between them, or null when the text holds fewer or the IBAN runs on into
   * more letters or digits.
   */
  private static String ibanAt(String text, int start, int length) {
    StringBuilder iban = new StringBuilder(length);
    int index = start;
    while (index < text.length() && iban.length() < length) {
      char next = text.charAt(index);
      if (Character.isLetterOrDigit(next) && next < 128) {
        iban.append(Character.toUpperCase(next));
      } else if (next != ' ' || index + 1 >= text.length() || text.charAt(index + 1) == ' ') {
        return null;
      }
      index++;
    }
    if (iban.length() < length
        || (index < text.length() && Character.isLetterOrDigit(text.charAt(index)))) {
      return null;
    }
    return iban.toString();
  }

  /** The ISO 7064 mod-97 check of an IBAN: its country and check digits moved to the end. */
  static boolean passesMod97(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int index = 0; index < rearranged.length(); index++) {
      char next = rearranged.charAt(index);
      int value = Character.isDigit(next) ? next - '0' : next - 'A' + 10;
      remainder = (value < 10 ? remainder * 10 + value : remainder * 100 + value) % 97;
    }
    return remainder == 1;
  }

  private static boolean hasPassword(String text) {
    Matcher matcher = PASSWORD.matcher(text);
    while (matcher.find()) {
      String candidate = stripPunctuation(matcher.group(2));
      if (candidate.isEmpty()) {
        continue;
      }
      boolean colon = matcher.group(1) != null;
      if (looksLikeSecret(candidate, colon)) {
        return true;
      }
    }
    return false;
  }

  /** Drops the sentence's punctuation after the word: "hunter2." is "hunter2". */
  private static String stripPunctuation(String word) {
    int end = word.length();
    while (end > 0 && ".,;!?)]}".indexOf(word.charAt(end - 1)) >= 0) {
      end--;
    }
    return word.substring(0, end);
  }

  /**
   * Whether the word after "password is" is likely the password: anything with a digit, a symbol or
   * a capital letter inside it; a plain lowercase word only if it is not one of the ordinary words
   * that follow "password is" in speech (after "password:" any word but those counts).
   */
  private static boolean looksLikeSecret(String word, boolean afterColon) {
    String lower = word.toLowerCase(Locale.ROOT);
    if (NOT_PASSWORDS.contains(lower)) {
      return false;
    }
    boolean plainWord = word.chars().allMatch(Character::isLetter);
    if (!plainWord) {
      return word.length() >= 3;
    }
    boolean mixedCase = !word.equals(lower) && !word.substring(1).equals(lower.substring(1));
    if (mixedCase || afterColon) {
      return word.length() >= 3;
    }
    // "my password is expiring", "the password is probably", "the password is hidden".
    return word.length() >= 4
        && !lower.endsWith("ing")
        && !lower.endsWith("ed")
        && !lower.endsWith("ly");
  }
}
