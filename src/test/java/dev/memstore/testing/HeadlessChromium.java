package dev.memstore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol from Java's own HTTP client: one
 * browser with a fresh profile and one page, every protocol event kept for the test to read.
 *
 * <p>{@link #start} installs the {@code chromium} package when {@code /usr/bin/chromium} is missing
 * and the tests run as root (once: later runs find it), and aborts the test with the reason when it
 * cannot be installed or started. Started with the flags that keep it off the network by itself.
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING =
      Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  private HeadlessChromium(Process process, WebSocket.Builder sockets, URI page) {
    this.process = process;
    this.socket = sockets.buildAsync(page, new Listener()).orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Starts Chromium with a fresh profile in {@code profile}, or aborts the test saying why not. */
  public static HeadlessChromium start(Path profile) throws IOException, InterruptedException {
    install();
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--window-size=1400,1000",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader errors =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    List<String> startLog = new ArrayList<>();
    String port = null;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String line;
    while (port == null && System.nanoTime() < deadline && (line = errors.readLine()) != null) {
      startLog.add(line);
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        port = matcher.group(2);
      }
    }
    if (port == null) {
      process.destroyForcibly();
      Assumptions.abort(
          "Chromium did not start (no DevTools address within 30 s); it said:\n"
              + String.join("\n", startLog));
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (errors.readLine() != null) {
                  // Chromium's own log (D-Bus and GPU complaints in a container); not the page's.
                }
              } catch (IOException closed) {
                // The browser exited.
              }
            },
            "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    HttpClient http =
        HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(TIMEOUT).build();
    String targets =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(TIMEOUT)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String page = null;
    for (JsonNode target : JSON.readTree(targets)) {
      if (target.path("type").asText().equals("page")) {
        page = target.path("webSocketDebuggerUrl").asText();
      }
    }
    if (page == null) {
      process.destroyForcibly();
      throw new IllegalStateException("Chromium has no page target: " + targets);
    }
    return new HeadlessChromium(process, http.newWebSocketBuilder(), URI.create(page));
  }

  /** Installs Debian's chromium when missing (as root only), or aborts the test saying why not. */
  private static synchronized void install() throws IOException, InterruptedException {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      Assumptions.abort(
          BINARY
              + " is missing and the tests do not run as root: install it with"
              + " `apt-get install -y chromium` to run this test");
    }
    String output = run("apt-get", "install", "-y", "chromium");
    if (!Files.isExecutable(BINARY)) {
      // A fresh machine may not have the package lists yet.
      output += run("apt-get", "update");
      output += run("apt-get", "install", "-y", "chromium");
    }
    if (!Files.isExecutable(BINARY)) {
      Assumptions.abort("could not install Debian's chromium; apt-get said:\n" + output);
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return String.join(" ", command) + ": timed out after 10 minutes\n";
    }
    return output.join();
  }

  /** Sends one protocol command and returns its result; fails on a protocol error. */
  public JsonNode send(String method, Map<String, ?> parameters) {
    long id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(parameters));
    socket.sendText(message.toString(), true).join();
    JsonNode reply = answer.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Waits until an event of this method has arrived; returns it. */
  public JsonNode awaitEvent(String method) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (events) {
      while (true) {
        for (JsonNode event : events) {
          if (event.path("method").asText().equals(method)) {
            return event;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("no " + method + " within " + TIMEOUT);
        }
        events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  /** Returns the events received so far whose method is one of these. */
  public List<JsonNode> events(String... methods) {
    List<String> wanted = List.of(methods);
    synchronized (events) {
      return events.stream()
          .filter(event -> wanted.contains(event.path("method").asText()))
          .toList();
    }
  }

  /** Returns what the browser's console and log received, one line each. */
  public List<String> log() {
    synchronized (events) {
      return List.copyOf(log);
    }
  }

  @Override
  public void close() {
    socket.abort();
    // Its helpers (zygote, renderers, the crash handler) can outlive it for a moment and still
    // write
    // into the profile folder, which the test's temporary folder then fails to delete.
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    helpers.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      for (ProcessHandle helper : helpers) {
        try {
          helper.onExit().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          helper.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          receive(JSON.readTree(text));
        } catch (IOException e) {
          throw new IllegalStateException("Chromium sent no JSON: " + text, e);
        }
      }
      webSocket.request(1);
      return null;
    }

    private void receive(JsonNode message) {
      if (message.has("id")) {
        CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asLong());
        if (answer != null) {
          answer.complete(message);
        }
        return;
      }
      String method = message.path("method").asText();
      synchronized (events) {
        events.add(message);
        switch (method) {
          case "Runtime.consoleAPICalled" -> log.add("console: " + message.path("params"));
          case "Runtime.exceptionThrown" -> log.add("exception: " + message.path("params"));
          case "Log.entryAdded" -> log.add("log: " + message.path("params").path("entry"));
          default -> {
            // Other events are read through events().
          }
        }
        events.notifyAll();
      }
    }
  }
}
