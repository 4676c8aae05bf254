package dev.memstore.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memstore.ErrorCode;
import dev.memstore.MemoryProtocol;
import dev.memstore.MemoryStore;
import dev.memstore.cli.Memctl;
import dev.memstore.testing.MemoryStoreExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded protocol fuzzing (issue 13): malformed, oversized, deeply nested, wrongly typed and
 * hostile requests of 15 classes through {@link MemoryProtocol#handle}, and raw bytes through
 * {@code memctl exec}. Every answer must be the error envelope with a documented code other than
 * {@code internal_error}, a message without Java's own text, no SEVERE log record, and a refused
 * request must leave every table of the file as it was.
 *
 * <p>{@code -Dmemstore.fuzz.seed=N} replays a run (the seed is in every failure message); {@code
 * -Dmemstore.fuzz.requests=N} sends more than the 1,500 of a CI run.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ProtocolFuzzTest {
  private static final long SEED = Long.getLong("memstore.fuzz.seed", System.nanoTime());
  private static final int REQUESTS = Integer.getInteger("memstore.fuzz.requests", 1500);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern JAVA_TEXT =
      Pattern.compile("java\\.|javax\\.|com\\.fasterxml|Exception|at dev\\.memstore");
  private static final Set<String> CODES =
      Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toSet());

  enum Kind {
    MALFORMED_JSON,
    WRONG_TYPES,
    MISSING_FIELDS,
    UNKNOWN_ACTIONS,
    FTS5_SYNTAX,
    SQL_FRAGMENTS,
    NUL_AND_INVALID_UNICODE,
    HUGE_STRINGS,
    DEEP_NESTING,
    EXTREME_NUMBERS,
    LIMITS_AND_OFFSETS,
    NONEXISTENT_IDS,
    MANY_TAGS,
    DUPLICATE_KEYS,
    OVERFLOW_VALUES
  }

  /** One generated request: its raw text, and whether it must be refused. */
  private record Case(Kind kind, String text, boolean mustFail) {}

  @RegisterExtension
  final MemoryStoreExtension stores =
      MemoryStoreExtension.withWordHashModel("words", 16)
          .onSystemClock()
          .configure(builder -> builder.maintenanceInterval(Duration.ZERO));

  private Path file;
  private MemoryStore store;
  private MemoryProtocol protocol;
  private Random random;
  private List<ObjectNode> templates;
  private final AtomicInteger severe = new AtomicInteger();
  private final List<String> severeMessages = new ArrayList<>();
  private final Handler severeCounter =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            severe.incrementAndGet();
            synchronized (severeMessages) {
              severeMessages.add(record.getLoggerName() + ": " + record.getMessage());
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void open() {
    Logger.getLogger("").addHandler(severeCounter);
    random = new Random(SEED);
    file = stores.file();
    store = stores.store();
    protocol = MemoryProtocol.over(store);
  }

  @AfterEach
  void close() {
    Logger.getLogger("").removeHandler(severeCounter);
  }

  private String context() {
    return " (replay with -Dmemstore.fuzz.seed=" + SEED + ")";
  }

  @Test
  void handle_generatedHostileRequests_answeredWithDocumentedErrorsAndNoChange() throws Exception {
    String first =
        successData(
                send("create", obj("content", "the cat sat on the mat", "tags", List.of("pets"))))
            .get("memory_id")
            .textValue();
    String second =
        successData(
                send("create", obj("content", "dentist appointment at noon", "parent_id", first)))
            .get("memory_id")
            .textValue();
    String session =
        successData(send("create_session", obj("user_id", "user-1"))).get("session_id").textValue();
    long group =
        successData(send("create_context_group", obj("name", "fuzz"))).get("group_id").asLong();
    send("add_to_group", obj("group_id", group, "memory_id", first));
    long relationship =
        successData(
                send(
                    "add_relationship",
                    obj("source_id", first, "target_id", second, "relationship_type", "related")))
            .get("relationship_id")
            .asLong();
    templates = templates(first, second, session, group, relationship);

    Map<Kind, int[]> counts = new EnumMap<>(Kind.class);
    Map<String, String> digest = digest();
    for (int index = 0; index < REQUESTS; index++) {
      Kind kind = Kind.values()[index % Kind.values().length];
      Case request = generate(kind, index);
      String response = protocol.handle(request.text());
      String where = kind + " request " + index + context() + ": " + excerpt(request.text());
      JsonNode answer = ProtocolClient.parse(response);
      ProtocolClient.assertEnvelope((ObjectNode) answer);
      counts
          .computeIfAbsent(kind, k -> new int[2])[
          answer.get("status").textValue().equals("error") ? 1 : 0]++;
      if (answer.get("status").textValue().equals("success")) {
        assertFalse(request.mustFail(), () -> "accepted " + where + " -> " + excerpt(response));
        digest = digest();
        continue;
      }
      JsonNode error = answer.get("error");
      String code = error.get("code").textValue();
      String message = error.get("message").textValue();
      assertTrue(CODES.contains(code), () -> "undocumented code " + code + " for " + where);
      assertNotEquals("internal_error", code, () -> message + " for " + where);
      assertFalse(message.isBlank(), where);
      assertFalse(
          JAVA_TEXT.matcher(message).find(), () -> "Java text: " + message + " for " + where);
      assertTrue(
          response.length() < 4000, () -> "long answer " + excerpt(response) + " for " + where);
      Map<String, String> after = digest();
      assertEquals(digest, after, () -> "the file changed on refused " + where + " -> " + message);
    }
    assertEquals(0, severe.get(), () -> "SEVERE log records " + severeMessages + context());
    assertTrue(
        REQUESTS < Kind.values().length || counts.size() == Kind.values().length, counts::toString);
    System.out.println(
        "protocol fuzz: "
            + REQUESTS
            + " requests, seed "
            + SEED
            + ", success/error per class: "
            + counts.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1])
                .toList());
  }

  /** Raw bytes through memctl exec: invalid UTF-8, raw NUL and control bytes, oversized lines. */
  @Test
  void exec_generatedHostileBytes_refusedLineByLineAndNoChange() throws Exception {
    Path execFile = stores.file("exec.db");
    exec(
        execFile,
        "{\"action\":\"create\",\"payload\":{\"content\":\"kept\"}}\n"
            .getBytes(StandardCharsets.UTF_8));
    Map<String, String> before = digest(execFile);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    byte[][] invalid = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}
    };
    int lines = 300;
    for (int index = 0; index < lines; index++) {
      String head =
          "{\"action\":\"create\",\"payload\":{\"content\":\"" + randomText(random.nextInt(40));
      input.write(head.getBytes(StandardCharsets.UTF_8));
      switch (index % 3) {
        case 0 -> input.write(invalid[random.nextInt(invalid.length)]);
        case 1 -> input.write(new byte[] {0x00, (byte) (1 + random.nextInt(8))});
        default -> {
          input.write(invalid[random.nextInt(invalid.length)]);
          input.write(0);
        }
      }
      input.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
    }
    input.write(
        "{\"action\":\"create\",\"payload\":{\"content\":\"".getBytes(StandardCharsets.UTF_8));
    input.write(new byte[(16 << 20) + 1]);
    input.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
    String out = exec(execFile, input.toByteArray());
    List<String> answers = out.lines().toList();
    assertEquals(lines + 1, answers.size(), context());
    for (String line : answers) {
      JsonNode answer = ProtocolClient.parse(line);
      assertEquals(
          "invalid_request", answer.path("error").path("code").textValue(), () -> line + context());
      assertFalse(JAVA_TEXT.matcher(answer.path("error").path("message").textValue()).find(), line);
    }
    assertEquals(before, digest(execFile), "refused exec lines changed the file" + context());
  }

  private static String exec(Path db, byte[] input) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Memctl.run(
            new String[] {"--db", db.toString(), "exec"},
            new PrintWriter(out),
            new PrintWriter(err),
            new ByteArrayInputStream(input));
    assertEquals(0, exit, err::toString);
    return out.toString();
  }

  // Generation

  private Case generate(Kind kind, int index) {
    ObjectNode template = templates.get(random.nextInt(templates.size())).deepCopy();
    ObjectNode payload = (ObjectNode) template.get("payload");
    switch (kind) {
      case MALFORMED_JSON -> {
        String text = write(template);
        return switch (random.nextInt(4)) {
          case 0 -> new Case(kind, text.substring(0, 1 + random.nextInt(text.length() - 1)), true);
          case 1 -> {
            int at = random.nextInt(text.length());
            String junk =
                pick(
                    "{", "}", "[", "]", ",", ":", "\"", "'", "\\", "/*", "NaN", "\u0000", "\u0007");
            yield new Case(kind, text.substring(0, at) + junk + text.substring(at), false);
          }
          case 2 ->
              new Case(
                  kind,
                  pick(
                      "",
                      " ",
                      "null",
                      "1",
                      "\"x\"",
                      "[]",
                      "true",
                      "{}",
                      "{{}}",
                      "{\"action\"}",
                      "{\"action\":}",
                      "{\"action\":\"stats\"}}",
                      "{\"action\":\"stats\",}",
                      "\uFEFF{\"action\":\"stats\"}",
                      "{\"action\":\"stats\"}{}",
                      "{\"a\":1e99999999999}"),
                  false);
          default -> new Case(kind, randomText(1 + random.nextInt(200)), false);
        };
      }
      case WRONG_TYPES -> {
        String field = randomField(payload);
        if (field == null) {
          template.set("payload", randomValue(3));
        } else {
          payload.set(field, randomValue(3));
        }
        if (random.nextInt(5) == 0) {
          template.set(pick("action", "request_id", "session_id", "timestamp"), randomValue(2));
        }
        return new Case(kind, write(template), false);
      }
      case MISSING_FIELDS -> {
        String field = randomField(payload);
        if (field != null) {
          payload.remove(field);
        }
        if (random.nextInt(4) == 0) {
          template.remove(pick("action", "payload"));
        }
        return new Case(kind, write(template), !template.has("action"));
      }
      case UNKNOWN_ACTIONS -> {
        template.put(
            "action",
            pick(
                "",
                " ",
                "CREATE",
                "creat",
                "drop",
                "create ",
                "__proto__",
                "stats\u0000",
                "'; drop table memories; --",
                "search*",
                "\u202Eetaerc",
                "x".repeat(1 + random.nextInt(100_000)),
                randomText(1 + random.nextInt(30)) + "!"));
        return new Case(kind, write(template), true);
      }
      case FTS5_SYNTAX -> {
        String query =
            pick(
                "\"",
                "\"unbalanced",
                "a AND",
                "OR",
                "NOT x",
                "NEAR(a b, 2)",
                "content:cat",
                "cat*",
                "*",
                "^cat",
                "(cat",
                "cat)",
                "a:b:c",
                "\"\"",
                "'",
                "{cat dog}",
                "- cat",
                "+cat",
                "cat OR OR dog",
                "NEAR(",
                "col:\"x\" AND (y OR",
                "\u0000",
                "%",
                "_",
                "\\",
                "rank MATCH 1");
        ObjectNode search =
            obj(
                "query",
                query + (random.nextBoolean() ? " cat" : ""),
                "search_type",
                pick("keyword", "hybrid", "semantic"));
        if (random.nextBoolean()) {
          return new Case(kind, request("search", search), false);
        }
        ArrayNode queries = NODES.arrayNode().add(query).add(pick("*", "\"", "cat"));
        return new Case(
            kind,
            request("search_multi_query", obj("queries", queries, "search_type", "keyword")),
            false);
      }
      case SQL_FRAGMENTS -> {
        String sql =
            pick(
                "'; drop table memories; --",
                "\" or 1=1 --",
                "1; delete from memories",
                "') union select * from sqlite_master --",
                "%",
                "_%",
                "mem-' or '1'='1",
                "session-'; --",
                "x'); attach database '/tmp/evil.db' as evil; --",
                "load_extension('evil')",
                "*/ select 1 /*");
        setRandomText(template, sql);
        return new Case(kind, write(template), false);
      }
      case NUL_AND_INVALID_UNICODE -> {
        int variant = random.nextInt(4);
        String bad =
            switch (variant) {
              case 0 -> "a\uD800b";
              case 1 -> "\uDC00";
              case 2 -> "a\u0000b";
              default -> pick("\uFFFF", "\uFFFD", "\uFEFF", "\u202E", "\u0085", "\uD83D\uDE00");
            };
        boolean asKey = random.nextInt(5) == 0;
        if (asKey) {
          payload.put(bad, 1);
        } else {
          setRandomText(template, bad);
        }
        return new Case(kind, write(template), variant < 2);
      }
      case HUGE_STRINGS -> {
        int size =
            index == Kind.HUGE_STRINGS.ordinal()
                ? 100 << 20
                : pickInt(1 << 10, 64 << 10, 1 << 20, 2 << 20, (16 << 20) + 1);
        String huge = "z".repeat(size);
        switch (random.nextInt(4)) {
          case 0 -> template.put("action", huge);
          case 1 -> payload.put(huge.substring(0, Math.min(size, 1 << 20)), 1);
          default -> setRandomText(template, huge);
        }
        return new Case(kind, write(template), size > 16 << 20);
      }
      case DEEP_NESTING -> {
        int depth = pickInt(33, 65, 200, 1000, 10_000);
        boolean arrays = random.nextBoolean();
        String nested =
            (arrays ? "[" : "{\"a\":").repeat(depth - 1)
                + (arrays ? "[]" : "{}")
                + (arrays ? "]" : "}").repeat(depth - 1);
        String text;
        if (random.nextBoolean()) {
          text =
              request("create", null)
                  .replace(
                      "\"payload\":{}",
                      "\"payload\":{\"content\":\"deep\",\"metadata\":{\"m\":" + nested + "}}");
        } else {
          payload.put("NESTED", 0);
          text =
              write(template)
                  .replace(
                      "\"NESTED\":0",
                      "\"" + pick("filter", "metadata", "content", "x") + "\":" + nested);
        }
        return new Case(kind, text, true);
      }
      case EXTREME_NUMBERS -> {
        String field =
            pick(
                "priority",
                "ttl",
                "importance",
                "importance_score",
                "strength",
                "hours",
                "max_age_days",
                "time_window_hours",
                "token_budget",
                "limit",
                "offset",
                "group_id",
                "relationship_id",
                "reinforcement_factor",
                "min_importance",
                "expansion_depth",
                "similarity_threshold",
                "max_access_count",
                "feedback",
                "max_depth");
        payload.put("NUMBER", 0);
        String number =
            pick(
                "9223372036854775808",
                "-9223372036854775809",
                "1e400",
                "-1e400",
                "1e-400",
                "4294967306",
                "2147483648",
                "-0.0",
                "123456789012345678901234567890",
                "1.5",
                "0",
                "-1",
                "1e308",
                "-2147483649",
                "18446744073709551615",
                "0.1e-99999",
                "1" + "0".repeat(999));
        if (random.nextInt(4) == 0) {
          // Stored inside metadata, the number must not poison later answers that include it.
          return new Case(
              kind,
              request("create", null)
                  .replace(
                      "\"payload\":{}",
                      "\"payload\":{\"content\":\"numbers\",\"metadata\":{\"n\":" + number + "}}"),
              false);
        }
        String text = write(template).replace("\"NUMBER\":0", "\"" + field + "\":" + number);
        return new Case(kind, text, false);
      }
      case LIMITS_AND_OFFSETS -> {
        String action =
            pick(
                "batch_read",
                "search",
                "search_multi_query",
                "get_children",
                "list_sessions",
                "get_recent_memories",
                "get_memories_by_group",
                "get_contextual_memories",
                "get_conversation_context");
        ObjectNode base =
            templates.stream()
                .filter(t -> t.get("action").textValue().equals(action))
                .findFirst()
                .orElseThrow()
                .deepCopy();
        ObjectNode target = (ObjectNode) base.get("payload");
        if (target.has("filters")) {
          target = (ObjectNode) target.get("filters");
        } else if (target.has("filter")) {
          target = (ObjectNode) target.get("filter");
        }
        List<Long> values =
            List.of(
                0L,
                -1L,
                1L,
                1000L,
                1001L,
                10_000L,
                10_001L,
                1_000_000L,
                1_000_001L,
                (long) Integer.MAX_VALUE,
                Integer.MAX_VALUE - 30L,
                Integer.MAX_VALUE + 1L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                4294967306L);
        target.put("limit", values.get(random.nextInt(values.size())));
        if (!action.equals("get_conversation_context")) {
          target.put("offset", values.get(random.nextInt(values.size())));
        }
        return new Case(kind, write(base), false);
      }
      case NONEXISTENT_IDS -> {
        String id =
            pick(
                "mem-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36),
                "session-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36),
                "mem-",
                "mem-x",
                "",
                " ",
                "MEM-1",
                "mem-" + "a".repeat(300),
                "not an id");
        for (String field :
            List.of("memory_id", "parent_id", "source_id", "target_id", "session_id")) {
          if (payload.has(field)) {
            payload.put(field, id);
          }
        }
        if (template.has("session_id")) {
          template.put("session_id", id);
        }
        for (String field : List.of("group_id", "relationship_id")) {
          if (payload.has(field)) {
            payload.put(field, random.nextInt(1000) + 1000);
          }
        }
        if (payload.has("memory_ids")) {
          payload.set("memory_ids", NODES.arrayNode().add(id));
        }
        return new Case(kind, write(template), false);
      }
      case MANY_TAGS -> {
        int count = pickInt(65, 100, 1000, 10_001, 20_000);
        ArrayNode tags = NODES.arrayNode();
        for (int tag = 0; tag < count; tag++) {
          tags.add("t" + tag);
        }
        boolean create = random.nextBoolean();
        ObjectNode request =
            create
                ? (ObjectNode)
                    ProtocolClient.parse(request("create", obj("content", "tagged", "tags", tags)))
                : (ObjectNode)
                    ProtocolClient.parse(request("batch_read", obj("filter", obj("tags", tags))));
        return new Case(kind, write(request), create || count > 10_000);
      }
      case DUPLICATE_KEYS -> {
        String text = write(template);
        String duplicated =
            switch (random.nextInt(3)) {
              case 0 -> text.replaceFirst("\\{", "{\"action\":\"delete\",");
              case 1 -> text.replace("\"payload\":{", "\"payload\":{\"x\":1,\"x\":2,");
              default ->
                  text.substring(0, text.length() - 1)
                      + ",\"request_id\":\"again\",\"request_id\":\"twice\"}";
            };
        return new Case(kind, duplicated, true);
      }
      default -> {
        String overflow =
            pick(
                request(
                    "create", obj("content", "x", "ttl", new BigInteger("9223372036854775807"))),
                request("create", obj("content", "x", "ttl", 3_153_600_001L)),
                request("update", obj("memory_id", anyMemoryId(), "ttl", Long.MAX_VALUE)),
                request("create", obj("content", "x", "priority", 4294967306L)),
                request("update", obj("memory_id", anyMemoryId(), "priority", -4294967286L)),
                request("prune", obj("max_age_days", Long.MAX_VALUE)),
                request(
                    "cleanup_old_memories", obj("max_age_days", Long.MAX_VALUE, "dry_run", true)),
                request("consolidate", obj("time_window_hours", Long.MAX_VALUE)),
                request(
                    "batch_read",
                    obj("filter", obj("time_range", obj("start", "+999999999-12-31T23:59:59Z")))),
                request(
                    "batch_read",
                    obj("filter", obj("time_range", obj("end", "-999999999-01-01T00:00:00Z")))),
                request(
                    "bulk_delete",
                    obj("filter", obj("time_range", obj("start", "-999999999-01-01T00:00:00Z")))),
                request(
                    "bulk_delete", obj("filter", obj("older_than", "+999999999-01-01T00:00:00Z"))),
                request(
                    "search",
                    obj(
                        "query",
                        "cat",
                        "filters",
                        obj("offset", Integer.MAX_VALUE - random.nextInt(2000)))),
                request(
                    "search_multi_query",
                    obj(
                        "queries",
                        NODES.arrayNode().add("cat"),
                        "filters",
                        obj("offset", Integer.MAX_VALUE - random.nextInt(2000)))),
                request("get_context_pack", obj("token_budget", new BigDecimal("1e30"))),
                request("get_recent_memories", obj("hours", new BigDecimal("1e300"))));
        return new Case(kind, overflow, true);
      }
    }
  }

  private String anyMemoryId() {
    for (ObjectNode template : templates) {
      JsonNode id = template.get("payload").get("memory_id");
      if (id != null) {
        return id.textValue();
      }
    }
    return "mem-none";
  }

  /** Valid requests of every action, from which the hostile ones are made. */
  private List<ObjectNode> templates(
      String first, String second, String session, long group, long relationship) {
    List<String> texts = new ArrayList<>();
    texts.add(
        request(
            "create",
            obj(
                "content",
                "a new memory",
                "tags",
                NODES.arrayNode().add("x"),
                "metadata",
                obj("k", "v"),
                "priority",
                3,
                "ttl",
                3600,
                "importance",
                0.5)));
    texts.add(request("read", obj("memory_id", first)));
    texts.add(request("update", obj("memory_id", second, "content", "changed", "priority", 4)));
    texts.add(request("delete", obj("memory_id", "mem-0000000000000-absent")));
    texts.add(
        request(
            "batch_read",
            obj(
                "filter",
                obj(
                    "tags",
                    NODES.arrayNode().add("pets"),
                    "limit",
                    5,
                    "offset",
                    0,
                    "time_range",
                    obj("start", "2020-01-01T00:00:00Z")))));
    texts.add(
        request("bulk_delete", obj("filter", obj("tags", NODES.arrayNode().add("no-such-tag")))));
    texts.add(
        request(
            "batch_add_memories",
            obj("memories", NODES.arrayNode().add(obj("content", "batch one")))));
    texts.add(request("batch_get_memories", obj("memory_ids", NODES.arrayNode().add(first))));
    texts.add(request("get_children", obj("parent_id", first, "limit", 5, "offset", 0)));
    texts.add(request("reinforce_memory", obj("memory_id", first, "reinforcement_factor", 1.1)));
    texts.add(request("get_history", obj("memory_id", first)));
    texts.add(
        request(
            "add_relationship",
            obj("source_id", second, "target_id", first, "relationship_type", "x")));
    texts.add(request("get_related_memories", obj("memory_id", first)));
    texts.add(request("remove_relationship", obj("relationship_id", relationship + 1000)));
    texts.add(request("list_context_groups", null));
    texts.add(request("add_to_group", obj("group_id", group, "memory_id", second)));
    texts.add(request("remove_from_group", obj("group_id", group, "memory_id", second)));
    texts.add(request("get_memories_by_group", obj("group_id", group, "limit", 5, "offset", 0)));
    texts.add(request("get_session", obj("session_id", session)));
    texts.add(request("list_sessions", obj("limit", 5, "offset", 0)));
    texts.add(request("stats", null));
    texts.add(request("search", obj("query", "cat", "filters", obj("limit", 5, "offset", 0))));
    texts.add(
        request(
            "search_multi_query",
            obj(
                "queries",
                NODES.arrayNode().add("cat").add("dentist"),
                "filters",
                obj("limit", 5, "offset", 0))));
    texts.add(
        request(
            "get_contextual_memories",
            obj("query", "cat", "filters", obj("limit", 5, "offset", 0))));
    texts.add(request("get_recent_memories", obj("hours", 24, "limit", 5, "offset", 0)));
    texts.add(request("summarize", obj("session_id", session)));
    texts.add(request("consolidate", obj("dry_run", true, "time_window_hours", 24)));
    texts.add(request("cleanup_old_memories", obj("max_age_days", 30, "dry_run", true)));
    texts.add(request("get_conversation_context", obj("session_id", session, "limit", 5)));
    texts.add(
        request(
            "get_context_pack", obj("session_id", session, "query", "cat", "token_budget", 200)));
    texts.add(request("health", null));
    List<ObjectNode> nodes = new ArrayList<>();
    for (String text : texts) {
      ObjectNode node = (ObjectNode) ProtocolClient.parse(text);
      if (!node.has("payload")) {
        node.set("payload", NODES.objectNode());
      }
      node.put("request_id", "fuzz");
      nodes.add(node);
    }
    return nodes;
  }

  private String randomField(ObjectNode payload) {
    List<String> names = new ArrayList<>();
    payload.fieldNames().forEachRemaining(names::add);
    return names.isEmpty() ? null : names.get(random.nextInt(names.size()));
  }

  /** Puts a text into a random text field of a request (or a new tag, or the query). */
  private void setRandomText(ObjectNode request, String text) {
    ObjectNode payload = (ObjectNode) request.get("payload");
    List<String> textual = new ArrayList<>();
    payload
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (payload.get(name).isTextual()) {
                textual.add(name);
              }
            });
    int choice = random.nextInt(textual.size() + 3);
    if (choice < textual.size()) {
      payload.put(textual.get(choice), text);
    } else if (choice == textual.size()) {
      request.put("session_id", text);
    } else if (choice == textual.size() + 1) {
      payload.set("tags", NODES.arrayNode().add(text));
    } else {
      request.put("request_id", text.length() > 200 ? text.substring(0, 200) : text);
      payload.put("memory_type", text);
    }
  }

  private JsonNode randomValue(int depth) {
    return switch (random.nextInt(depth <= 0 ? 6 : 8)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 4 -> NODES.textNode(randomText(random.nextInt(20)));
      case 5 -> NODES.textNode("");
      case 6 -> {
        ArrayNode array = NODES.arrayNode();
        for (int index = random.nextInt(3); index > 0; index--) {
          array.add(randomValue(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int index = random.nextInt(3); index > 0; index--) {
          object.set(randomText(1 + random.nextInt(5)), randomValue(depth - 1));
        }
        yield object;
      }
    };
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder();
    for (int index = 0; index < length; index++) {
      int kind = random.nextInt(10);
      text.append(
          kind < 6
              ? (char) ('a' + random.nextInt(26))
              : kind < 8 ? ' ' : (char) (0x20 + random.nextInt(0x5f)));
    }
    return text.toString();
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private int pickInt(int... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static ObjectNode obj(Object... namesAndValues) {
    return ProtocolClient.object(namesAndValues);
  }

  private static String request(String action, ObjectNode payload) {
    ObjectNode request = NODES.objectNode();
    request.put("action", action);
    request.set("payload", payload == null ? NODES.objectNode() : payload);
    return write(request);
  }

  private static String write(JsonNode node) {
    return ProtocolClient.write(node);
  }

  private ObjectNode send(String action, ObjectNode payload) {
    return (ObjectNode) ProtocolClient.parse(protocol.handle(request(action, payload)));
  }

  private static JsonNode successData(ObjectNode response) {
    assertEquals("success", response.get("status").textValue(), response::toString);
    return response.get("data");
  }

  private static String excerpt(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "... (" + text.length() + " chars)";
  }

  // The file's content

  private Map<String, String> digest() throws Exception {
    return digest(file);
  }

  /**
   * A digest of every row of every ordinary table, per table (virtual tables are covered by their
   * shadow tables). Left out is what the store writes in the background, which may land while a
   * refused request runs: recorded accesses (access columns, access-only change rows) of reads that
   * succeeded a second before; the vector table, a copy of memory_embeddings (which is compared)
   * filled when the store decides, with its state in store_meta; the full-text purge flag. The
   * full-text index is compared by its terms and their places, not by its segments, which the store
   * merges in the background.
   */
  static Map<String, String> digest(Path db) throws Exception {
    Map<String, String> digests = new java.util.TreeMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              "select name from sqlite_master where type = 'table' and sql not like 'CREATE VIRTUAL%'"
                  + " and name not like 'memory_vectors%'"
                  + " and name not in ('memory_fts_data', 'memory_fts_idx') order by name")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      statement.execute(
          "create virtual table temp.fuzz_terms using fts5vocab(main, memory_fts, 'instance')");
      tables.add("temp.fuzz_terms");
      for (String table : tables) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<String> lines = new ArrayList<>();
        String select =
            switch (table) {
              case "memory_changes" -> "select * from memory_changes where access_only = 0";
              case "sqlite_sequence" ->
                  "select * from sqlite_sequence where name <> 'memory_changes'"
                      + " and name not like 'memory_vectors%'";
              case "store_meta" ->
                  "select * from store_meta where key not like 'vector%'"
                      + " and key <> 'fts_purge_pending'";
              case "temp.fuzz_terms" -> "select * from temp.fuzz_terms";
              default -> "select * from \"" + table + "\"";
            };
        try (ResultSet rows = statement.executeQuery(select)) {
          ResultSetMetaData meta = rows.getMetaData();
          while (rows.next()) {
            StringBuilder line = new StringBuilder();
            for (int column = 1; column <= meta.getColumnCount(); column++) {
              String name = meta.getColumnName(column);
              if (table.equals("memories")
                  && (name.equals("access_count") || name.equals("last_accessed_at"))) {
                continue;
              }
              byte[] value = rows.getBytes(column);
              line.append(value == null ? "null" : HexFormat.of().formatHex(value)).append('|');
            }
            lines.add(line.toString());
          }
        }
        lines.sort(null);
        lines.forEach(line -> sha.update(line.getBytes(StandardCharsets.UTF_8)));
        digests.put(
            table,
            lines.size() + " rows " + HexFormat.of().formatHex(sha.digest()).substring(0, 16));
      }
    }
    return digests;
  }
}
