package dev.memstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 6: scripts/bench cut BENCHMARKS.md to its header when the benchmark it ran lacked
 * its data. A benchmark that cannot run changes no file.
 */
class BenchmarkReportTest {
  private static final String HEADER = "# memstore benchmarks\n\nMachine: test.\n\n";

  @TempDir Path folder;

  @Test
  void gather_noFragments_keepsTheFile() throws Exception {
    Path target = Files.writeString(folder.resolve("BENCHMARKS.md"), "# earlier results\n");
    Path empty = Files.createDirectories(folder.resolve("bench"));
    assertFalse(BenchmarkReport.gather(empty, target, HEADER));
    assertFalse(BenchmarkReport.gather(folder.resolve("missing"), target, HEADER));
    assertEquals("# earlier results\n", Files.readString(target));
    assertEquals(List.of("BENCHMARKS.md", "bench"), names(folder), "no partial file left");
  }

  @Test
  void gather_fragments_writesHeaderAndFragmentsByName() throws Exception {
    Path target = Files.writeString(folder.resolve("BENCHMARKS.md"), "# earlier results\n");
    Path fragments = Files.createDirectories(folder.resolve("bench"));
    Files.writeString(fragments.resolve("speed.md"), "## Speed\n\nfast\n");
    Files.writeString(fragments.resolve("quality.md"), "## Quality\n\ngood\n");
    Files.writeString(fragments.resolve("notes.txt"), "not a fragment");
    assertTrue(BenchmarkReport.gather(fragments, target, HEADER));
    assertEquals(HEADER + "## Quality\n\ngood\n\n## Speed\n\nfast\n\n", Files.readString(target));
  }

  @Test
  void skipReasons_readsSurefiresReports() throws Exception {
    Files.writeString(
        folder.resolve("TEST-dev.memstore.bench.QualityBenchmark.xml"),
        "<testcase name=\"retrievalQuality\"><skipped"
            + " type=\"org.opentest4j.TestAbortedException\"><![CDATA[org.opentest4j"
            + ".TestAbortedException: Assumption failed: bench data not found at /x/bench-data\n"
            + "\tat org.junit.jupiter.api.Assumptions.assumeTrue(Assumptions.java:120)]]>"
            + "</skipped></testcase>");
    Files.writeString(
        folder.resolve("TEST-dev.memstore.cli.MemctlTest.xml"), "Assumption failed: other");
    assertEquals(
        List.of("bench data not found at /x/bench-data"), BenchmarkReport.skipReasons(folder));
  }

  @Test
  void dataFolder_followsTheProperty() {
    String before = System.getProperty("memstore.bench.data");
    System.setProperty("memstore.bench.data", folder.toString());
    try {
      assertEquals(folder, BenchmarkReport.dataFolder());
    } finally {
      if (before == null) {
        System.clearProperty("memstore.bench.data");
      } else {
        System.setProperty("memstore.bench.data", before);
      }
    }
  }

  private static List<String> names(Path folder) throws Exception {
    try (var files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }
}
