import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints the mutation score per package from PIT's mutations.xml: killed (and timed out) mutants
 * over all mutants, and the covered-only score that leaves out mutants no test reaches.
 *
 * <p>Usage: java scripts/MutationScores.java target/pit-reports/mutations.xml
 */
public final class MutationScores {
  public static void main(String[] arguments) throws Exception {
    Path report = Path.of(arguments.length > 0 ? arguments[0] : "target/pit-reports/mutations.xml");
    NodeList mutations =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(report.toFile())
            .getElementsByTagName("mutation");
    Map<String, int[]> byPackage = new TreeMap<>();
    for (int index = 0; index < mutations.getLength(); index++) {
      Element mutation = (Element) mutations.item(index);
      String type = mutation.getElementsByTagName("mutatedClass").item(0).getTextContent();
      String name = type.substring(0, type.lastIndexOf('.'));
      String status = mutation.getAttribute("status");
      int[] counts = byPackage.computeIfAbsent(name, key -> new int[3]);
      counts[0]++;
      if (status.equals("KILLED") || status.equals("TIMED_OUT") || status.equals("MEMORY_ERROR")) {
        counts[1]++;
      }
      if (status.equals("NO_COVERAGE")) {
        counts[2]++;
      }
    }
    System.out.printf("%-32s %8s %8s %8s %9s%n", "package", "mutants", "killed", "score", "covered");
    int[] total = new int[3];
    for (Map.Entry<String, int[]> entry : byPackage.entrySet()) {
      print(entry.getKey(), entry.getValue());
      for (int index = 0; index < 3; index++) {
        total[index] += entry.getValue()[index];
      }
    }
    print("all", total);
  }

  private static void print(String name, int[] counts) {
    int covered = counts[0] - counts[2];
    System.out.printf(
        "%-32s %8d %8d %7.1f%% %8.1f%%%n",
        name,
        counts[0],
        counts[1],
        100.0 * counts[1] / Math.max(1, counts[0]),
        100.0 * counts[1] / Math.max(1, covered));
  }
}
