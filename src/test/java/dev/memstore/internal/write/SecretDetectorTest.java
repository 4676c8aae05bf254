package dev.memstore.internal.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.internal.write.SecretDetector.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The detector's precision and recall on sentences a voice assistant hears: every secret below is
 * found as its kind, and none of the ordinary sentences with numbers raises an alarm.
 */
class SecretDetectorTest {
  private final SecretDetector detector = new SecretDetector();

  private static final Map<Kind, List<String>> SECRETS =
      Map.of(
          Kind.PIN,
          List.of(
              "My PIN is 4821",
              "my pin is 4 8 2 1",
              "The PIN for my debit card is 0071.",
              "PIN: 90210",
              "pin code 55123",
              "The door code is 1947",
              "the code to the garage is 6612",
              "Our alarm code is 13579, don't forget",
              "the passcode is 248163",
              "Passcode 7777 for the phone",
              "The wifi router's access code: 55667788",
              "Remember that 4821 is my PIN",
              "2580 is the door code",
              "my SIM pin is 1234",
              "The gate code was 4455 last week",
              "door code 1947",
              "the code: 3141"),
          Kind.CARD_NUMBER,
          List.of(
              "My card number is 4111 1111 1111 1111",
              "Visa 4012-8888-8888-1881 expires in March",
              "card: 5555555555554444",
              "the amex is 3782 822463 10005",
              "Pay with 6011 1111 1111 1117 please",
              "my Mastercard 2223 0031 2200 3222 is the work one",
              "4111 1111 1111 1111 and the cvv is 123"),
          Kind.PASSWORD,
          List.of(
              "My password is hunter2",
              "password: correcthorse",
              "The wifi password is Tr0ub4dor&3",
              "the password for the bank is swordfish",
              "my email password is \"Blue-Sky-77\"",
              "Password=letmein99",
              "The password for my laptop is sunflower."),
          Kind.IBAN,
          List.of(
              "My IBAN is DE89 3704 0044 0532 0130 00",
              "send it to GB82WEST12345698765432",
              "the account is fr14 2004 1010 0505 0001 3m02 606",
              "IBAN NL91ABNA0417164300 for the rent"));

  private static final List<String> ORDINARY =
      List.of(
          "Call me at 555-1234 after six",
          "My phone number is +1 415 555 0132",
          "Her number is 0044 20 7946 0958",
          "I was born in 1987",
          "We moved here in 2019 and the kids started school in 2021",
          "The meeting is in room 4012",
          "My hotel room is 1204 on the twelfth floor",
          "The TV cost $1299.99 on sale",
          "It was 2499 euros for the whole trip",
          "The zip code is 94103",
          "Our postal code is 10115",
          "The area code is 415",
          "The error code was 0x80070005",
          "error code 5001 keeps showing up on the printer",
          "use the promo code 2024 at checkout",
          "The dress code is smart casual",
          "I wrote code for 8 hours today",
          "The code review took 3 hours",
          "Flight LH 1234 leaves at 10:45",
          "The train leaves at 17:05 from platform 9",
          "Add 250 grams of flour and 2 eggs",
          "My daughter turns 12 on 2026-03-15",
          "The order number is 112-4455678-1234567",
          "The tracking number is 9400 1000 0000 0000 0000 00",
          "The population of the city is 3645000",
          "I ran 5000 meters in 21 minutes",
          "Our wedding anniversary is 14.06.2008",
          "The bus number 1234 goes downtown",
          "I changed my PIN in 2019",
          "I forgot my password again",
          "My password is too short, the bank says",
          "The password is stored in the vault",
          "the password is in the drawer",
          "my password is expiring next week",
          "My password is 12 characters long",
          "The password is case sensitive",
          "Reset the password tomorrow at 9",
          "The password manager costs 36 dollars a year",
          "What is my password?",
          "The new password is required to be 16 characters",
          "The timestamp was 1767225600000",
          "ISBN 978-3-16-148410-0 is the book",
          "The invoice total is 1,234,567.89",
          "My German friend lives at Hauptstrasse 22 in DE 10115",
          "The serial number is SN 2023 1145 8890",
          "At 22 degrees the room is comfortable",
          "The speed limit there is 50",
          "In 1999 we had 2 cats and 3 dogs",
          "Mom's birthday is on May 4th, 1961",
          "He scored 1200 on the SAT",
          "The pin on the map is at 51.5074, -0.1278",
          "The code is on GitHub",
          "We need 4 pins for the poster",
          "My account at the library expires in 2027",
          "Advent of Code 2023 starts in December",
          "The code 2024 conference is in Berlin",
          "My PIN is 4 digits long");

  @Test
  void find_spokenSecrets_foundAsTheirKind() {
    List<String> missed = new ArrayList<>();
    SECRETS.forEach(
        (kind, sentences) -> {
          for (String sentence : sentences) {
            Optional<Kind> found = detector.find(sentence);
            if (!found.equals(Optional.of(kind))) {
              missed.add(sentence + " -> " + found);
            }
          }
        });
    assertEquals(List.of(), missed);
  }

  @Test
  void find_ordinarySentencesWithNumbers_noAlarm() {
    List<String> alarms = new ArrayList<>();
    for (String sentence : ORDINARY) {
      detector.find(sentence).ifPresent(kind -> alarms.add(sentence + " -> " + kind));
    }
    assertEquals(List.of(), alarms);
  }

  @Test
  void passesLuhn_knownNumbers() {
    assertTrue(SecretDetector.passesLuhn("4111111111111111"));
    assertTrue(SecretDetector.passesLuhn("378282246310005"));
    assertFalse(SecretDetector.passesLuhn("4111111111111112"));
  }

  @Test
  void passesMod97_knownIbans() {
    assertTrue(SecretDetector.passesMod97("DE89370400440532013000"));
    assertTrue(SecretDetector.passesMod97("GB82WEST12345698765432"));
    assertFalse(SecretDetector.passesMod97("DE89370400440532013001"));
  }

  @Test
  void find_cardNumberThatFailsLuhn_notACard() {
    assertEquals(Optional.empty(), detector.find("my card is 4111 1111 1111 1112"));
  }

  @Test
  void find_emptyOrNull_nothing() {
    assertEquals(Optional.empty(), detector.find(""));
    assertEquals(Optional.empty(), detector.find(null));
  }
}
