package dev.memstore.cli;

import static dev.memstore.cli.CliRun.memctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * memctl report's page in a real browser: Debian's Chromium, headless, driven over the DevTools
 * protocol. The page loads with nothing on the console, requests nothing but itself, runs none of
 * the HTML a memory holds, and a screenshot of each chart shows its data in colour. Tagged so that
 * a CI run can pick it alone; it takes a few seconds once Chromium is installed (the set-up
 * installs it when missing, as root, and skips with the reason when it cannot).
 */
@Tag("chromium")
class ReportChromiumTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Pixels of a chart's screenshot in a data colour, at least: a bar or a dot has more. */
  private static final int LEAST_COLOURED_PIXELS = 40;

  @TempDir Path folder;

  @Test
  void report_inHeadlessChromium_loadsCleanlyAndShowsEveryChart() throws Exception {
    ReportFixture fixture = ReportFixture.create(folder.resolve("memory.db"));
    Path page = folder.resolve("report.html");
    CliRun run =
        memctl(
            Files.createDirectories(folder.resolve("home")),
            "--db",
            fixture.file().toString(),
            "report",
            "--html",
            page.toString(),
            "--memory",
            fixture.injectionId());
    assertEquals(0, run.exitCode(), run::toString);
    // -Dmemstore.report.keep=FILE keeps the page, to look at.
    String keep = System.getProperty("memstore.report.keep");
    if (keep != null) {
      Files.copy(page, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    try (HeadlessChromium chromium =
        HeadlessChromium.start(Files.createDirectories(folder.resolve("profile")))) {
      for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
        chromium.send(domain + ".enable", Map.of());
      }
      chromium.send("Page.navigate", Map.of("url", page.toUri().toString()));
      chromium.awaitEvent("Page.loadEventFired");

      assertEquals(List.of(), chromium.log(), "the console stays empty");
      List<String> requested = new ArrayList<>();
      for (JsonNode request : chromium.events("Network.requestWillBeSent")) {
        requested.add(request.path("params").path("request").path("url").asText());
      }
      assertEquals(List.of(page.toUri().toString()), requested, "the page loads only itself");
      assertEquals(
          "memstore report: memory.db",
          evaluate(chromium, "document.title").asText(),
          "the memory's script did not run");
      assertEquals(
          0, evaluate(chromium, "document.querySelectorAll('script, img').length").asInt());
      assertTrue(
          evaluate(chromium, "document.body.innerText").asText().contains(ReportFixture.INJECTION),
          "the memory's HTML shows as text");

      JsonNode charts =
          JSON.readTree(
              evaluate(
                      chromium,
                      "JSON.stringify([...document.querySelectorAll('svg.chart')].map(chart => {"
                          + " const box = chart.getBoundingClientRect();"
                          + " return {id: chart.id, x: box.left + window.scrollX,"
                          + " y: box.top + window.scrollY, width: box.width, height: box.height};"
                          + " }))")
                  .asText());
      List<String> ids = new ArrayList<>();
      for (JsonNode chart : charts) {
        String id = chart.get("id").asText();
        ids.add(id);
        assertTrue(chart.get("width").asDouble() > 100, () -> id + " is laid out: " + chart);
        BufferedImage shot = screenshot(chromium, chart);
        int coloured = colouredPixels(shot);
        assertTrue(
            coloured >= LEAST_COLOURED_PIXELS,
            () -> id + " shows " + coloured + " pixels in a data colour");
      }
      assertEquals(HtmlReport.CHARTS, ids);
      assertEquals(List.of(), chromium.log(), "the console stays empty");
    }
  }

  private static JsonNode evaluate(HeadlessChromium chromium, String expression) {
    return chromium
        .send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
        .path("result")
        .path("value");
  }

  private static BufferedImage screenshot(HeadlessChromium chromium, JsonNode chart)
      throws IOException {
    JsonNode shot =
        chromium.send(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of(
                    "x", chart.get("x").asDouble(),
                    "y", chart.get("y").asDouble(),
                    "width", chart.get("width").asDouble(),
                    "height", chart.get("height").asDouble(),
                    "scale", 1)));
    return ImageIO.read(
        new ByteArrayInputStream(Base64.getDecoder().decode(shot.get("data").asText())));
  }

  /** Pixels whose channels differ by more than 60: the palette's colours, not text or frame. */
  private static int colouredPixels(BufferedImage image) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int red = (rgb >> 16) & 0xff;
        int green = (rgb >> 8) & 0xff;
        int blue = rgb & 0xff;
        int spread = Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue));
        if (spread > 60) {
          count++;
        }
      }
    }
    return count;
  }
}
