package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memstore.AccessPolicy;
import dev.memstore.AgentPolicy;
import dev.memstore.AgentRight;
import dev.memstore.MemoryStore;
import dev.memstore.NewMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memctl report --html: what the page holds, its escaping, and that it changes nothing. */
class ReportCommandTest {
  @TempDir static Path folder;
  private static Path home;
  private static ReportFixture fixture;
  private Path page;

  /** One store for every test: the command opens it read-only. */
  @BeforeAll
  static void createStore() throws IOException {
    home = Files.createDirectories(folder.resolve("home"));
    fixture = ReportFixture.create(folder.resolve("memory.db"));
  }

  @BeforeEach
  void setUp() throws IOException {
    page = folder.resolve("report.html");
    Files.deleteIfExists(page);
  }

  private CliRun report(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("--db", fixture.file().toString(), "report", "--html", page.toString()));
    args.addAll(List.of(more));
    return memctl(home, args.toArray(String[]::new));
  }

  private String written(String... more) throws IOException {
    CliRun run = report(more);
    assertEquals(0, run.exitCode(), run::toString);
    return Files.readString(page, StandardCharsets.UTF_8);
  }

  /** The SVG element of one chart, from its opening tag to its end. */
  static String chart(String html, String id) {
    Matcher matcher =
        Pattern.compile("<svg class=\"chart\" id=\"" + id + "\".*?</svg>", Pattern.DOTALL)
            .matcher(html);
    assertTrue(matcher.find(), () -> "no chart " + id);
    return matcher.group();
  }

  @Test
  void report_storeWithData_drawsEveryChartWithData() throws IOException {
    String html = written();
    for (String id : HtmlReport.CHARTS) {
      assertTrue(chart(html, id).contains("class=\"mark\""), () -> id + " has no data marks");
    }
    assertEquals(
        HtmlReport.CHARTS.size(),
        Pattern.compile("<svg class=\"chart\"").matcher(html).results().count());
  }

  @Test
  void report_memoryHoldingHtml_showsItAsText() throws IOException {
    String html = written("--memory", fixture.injectionId());
    assertFalse(html.contains("<script"), "no script element");
    assertFalse(html.contains("<img"), "no image element");
    assertTrue(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"), html);
    assertTrue(html.contains("&amp; &quot;quoted&quot;"));
    // Its own graph: the chosen memory in the middle, named in full on hover.
    assertTrue(chart(html, "chart-graph").contains(fixture.injectionId() + ": &lt;script&gt;"));
  }

  @Test
  void report_page_allowsNoScriptAndNoLoad() throws IOException {
    String html = written();
    assertTrue(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'\">"));
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find());
  }

  @Test
  void report_store_changesNoByteOfTheFile() throws Exception {
    Path db = fixture.file();
    String before = sha256(db);
    FileTime modified = Files.getLastModifiedTime(db);
    List<String> filesBefore = names(folder);
    written("--probes", "5");
    assertEquals(before, sha256(db));
    assertEquals(modified, Files.getLastModifiedTime(db));
    List<String> filesAfter = names(folder);
    filesAfter.remove("report.html");
    assertEquals(filesBefore, filesAfter, "no file beside the store is made or left");
  }

  @Test
  void report_withoutMemoryOption_drawsTheMostLinkedMemory() throws IOException {
    String graph = chart(written(), "chart-graph");
    assertTrue(graph.contains(fixture.hubId() + ": "), graph);
    // Its six links, and nothing of the pair linked elsewhere.
    assertEquals(6, Pattern.compile("<line class=\"mark\"").matcher(graph).results().count());
    assertFalse(graph.contains(fixture.otherLinkedId()));
  }

  @Test
  void report_chosenMemory_drawsItsLinks() throws IOException {
    String graph = chart(written("--memory", fixture.otherLinkedId()), "chart-graph");
    assertTrue(graph.contains(fixture.otherLinkedId() + ": "));
    assertEquals(1, Pattern.compile("<line class=\"mark\"").matcher(graph).results().count());
  }

  @Test
  void report_unknownMemory_failsWithNotFoundAndWritesNothing() throws IOException {
    List<String> before = names(folder);
    CliRun run = report("--memory", "mem-01kzzzzzzzzzzzzzzzzzzzzzzz");
    assertEquals(ExitCodes.NOT_FOUND, run.exitCode(), run::toString);
    assertFalse(Files.exists(page));
    assertEquals(before, names(folder));
  }

  @Test
  void report_existingFile_isRefusedWithoutForce() throws IOException {
    Files.writeString(page, "mine");
    CliRun run = report();
    assertEquals(ExitCodes.REFUSED, run.exitCode(), run::toString);
    assertEquals("mine", Files.readString(page));
    assertTrue(run.err().contains("--force"), run::toString);
    written("--force");
    assertTrue(Files.readString(page).startsWith("<!DOCTYPE html>"));
  }

  @Test
  void report_ontoTheStore_isRefused() throws IOException {
    page = fixture.file();
    String before = Files.readString(page, StandardCharsets.ISO_8859_1);
    CliRun run = report("--force");
    assertEquals(ExitCodes.REFUSED, run.exitCode(), run::toString);
    assertEquals(before, Files.readString(page, StandardCharsets.ISO_8859_1));
  }

  @Test
  void report_badProbeCount_isAUsageError() {
    CliRun run = report("--probes", "-1");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertFalse(Files.exists(page));
  }

  @Test
  void report_page_isTheOwnersAlone() throws IOException {
    written();
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(page));
  }

  @Test
  void report_searches_showLatencyOfTheProbesAndTheAuditedHitRate() throws IOException {
    String html = written("--probes", "7");
    assertEquals(
        7,
        Pattern.compile("<rect class=\"mark\"")
            .matcher(chart(html, "chart-latency"))
            .results()
            .count());
    // The fixture searched three times, and one search found nothing.
    assertTrue(html.contains("3 searches recorded: 66.67% found something"), html);
  }

  @Test
  void report_json_namesTheFile() {
    CliRun run =
        memctl(
            home, "--db", fixture.file().toString(), "--json", "report", "--html", page.toString());
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("\"charts\":" + HtmlReport.CHARTS.size()), run::toString);
  }

  @Test
  void report_agentWithoutTheAdminRight_getsThePageWithoutTheFileWideParts() throws IOException {
    Path db = folder.resolve("reader.db");
    try (MemoryStore store =
        MemoryStore.builder(db)
            .embeddingModel("none")
            .accessPolicy(
                AccessPolicy.builder()
                    .agent(AgentPolicy.trusted("owner"))
                    .agent(AgentPolicy.builder("reader").rights(AgentRight.READ).build())
                    .defaultAgent("reader")
                    .build())
            .agent("owner", (char[]) null)
            .build()) {
      store.create(NewMemory.builder("readable by the reader").build());
    }
    CliRun run = memctl(home, "--db", db.toString(), "report", "--html", page.toString());
    assertEquals(0, run.exitCode(), run::toString);
    String html = Files.readString(page);
    assertTrue(chart(html, "chart-type").contains("class=\"mark\""));
    assertTrue(chart(html, "chart-user").contains("not readable"));
    assertTrue(
        html.contains("By user: agent reader may not activity: agent reader lacks the admin right"),
        html);
  }

  private static List<String> names(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return new ArrayList<>(files.map(file -> file.getFileName().toString()).sorted().toList());
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
