package dev.memstore.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private assistant's memory makes no network calls: loading the embedding model (whose tokenizer
 * library looks up a cloud-metadata address unless told it is offline), embedding, storing and
 * searching open no internet socket and look up no host name. Proven on the system calls of a
 * separate JVM, so native code is watched too.
 */
class NoNetworkTest {
  @TempDir Path folder;

  @Test
  void modelLoadEmbedStoreSearch_openNoNetworkSocket() throws Exception {
    assumeTrue(
        new ProcessBuilder("strace", "-V").start().waitFor() == 0,
        "strace is needed to watch the system calls of the probe process");
    Path trace = folder.resolve("trace.txt");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", trace.toString()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    if (System.getProperty("memstore.cache.dir") != null) {
      command.add("-Dmemstore.cache.dir=" + System.getProperty("memstore.cache.dir"));
    }
    command.add("-cp");
    command.add(
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(OfflineProbe.class.getName());
    command.add(folder.resolve("memory.db").toString());
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(probe.getInputStream().readAllBytes());
    assertTrue(probe.waitFor(180, TimeUnit.SECONDS), "probe did not finish");
    assertEquals(0, probe.exitValue(), output);
    assertTrue(output.contains("hits "), output);

    List<String> network =
        Files.readAllLines(trace).stream()
            // Host lookups without nscd reach a DNS server over AF_INET too; the JVM's own AF_UNIX
            // calls to
            // nscd are user-name lookups at startup, not network.
            .filter(line -> line.contains("AF_INET"))
            .toList();
    assertEquals(List.of(), network, "network system calls of the probe");
  }
}
