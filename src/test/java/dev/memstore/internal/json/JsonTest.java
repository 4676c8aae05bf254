package dev.memstore.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Point(int x, double y) {}

  @Test
  void toObject_givesWhatWritingAndReadingBackGives() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("int", 5);
    node.put("long", 5L);
    node.put("bigLong", 1L << 40);
    node.put("bigInteger", BigInteger.TEN.pow(30));
    node.put("float", 1.1f);
    node.put("double", 1.0e10);
    node.put("decimal", new BigDecimal("1.50"));
    node.put("nan", Double.NaN);
    node.put("infinity", Float.NEGATIVE_INFINITY);
    node.put("bytes", new byte[] {1, 2, 3});
    node.put("text", "hé");
    node.put("bool", true);
    node.putNull("null");
    node.putPOJO("record", new Point(3, 0.1));
    ObjectNode nested = node.putObject("nested");
    nested.putArray("list").add(1).add(2L).addNull().add("x").addArray();
    nested.putObject("empty");

    Map<String, Object> expected = Json.readObject(Json.write(node));
    Map<String, Object> converted = Json.toObject(node);

    assertEquals(expected, converted);
    for (String key : expected.keySet()) {
      Object want = expected.get(key);
      assertEquals(
          want == null ? null : want.getClass(),
          converted.get(key) == null ? null : converted.get(key).getClass(),
          key);
    }
    assertEquals(Json.write(expected), Json.write(converted));
  }

  @Test
  void toObject_emptyObjectReadsAsAnEmptyMap() {
    assertEquals(Map.of(), Json.toObject(JsonNodeFactory.instance.objectNode()));
  }

  @Test
  void toObject_parsedInputIsUnchanged() {
    ObjectNode node =
        (ObjectNode)
            Json.readInput(
                "{\"a\":1,\"b\":12345678901,\"c\":1.50,\"d\":1e400,\"e\":[{\"f\":null}]}",
                "the line",
                "line");
    assertEquals(Json.readObject(Json.write(node)), Json.toObject(node));
  }
}
