package dev.memstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.memstore.internal.protocol.ProtocolHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape rules of STYLE.md, checked on the compiled main classes. */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.memstore");

  @Test
  void onlyTheCliWritesToStandardStreams() {
    NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
        .because("a library must not print into its host's console")
        .check(
            MAIN.that(
                DescribedPredicate.not(
                    JavaClass.Predicates.resideInAPackage("dev.memstore.cli.."))));
  }

  @Test
  void noGenericExceptionsAndNoJavaUtilLogging() {
    NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS.check(MAIN);
    NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(MAIN);
  }

  @Test
  void apiDependsOnInternalsOnlyThroughItsTwoEntryPoints() {
    noClasses()
        .that()
        .resideInAPackage("dev.memstore")
        .and()
        .doNotHaveFullyQualifiedName(MemoryStoreBuilder.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(MemoryProtocol.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.memstore.internal..", "dev.memstore.cli..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.memstore")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml..", "org.sqlite..", "picocli..", "com.github.benmanes..")
        .because("the public API exposes only JDK and memstore types")
        .check(MAIN);
  }

  @Test
  void onlyTheCliUsesPicocliAndNothingUsesTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.memstore.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(MAIN);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.memstore.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.memstore.cli..")
        .check(MAIN);
  }

  /**
   * The layers, bottom to top; each may use only the levels below it, and layers on one level do
   * not use each other. The API types sit at the bottom: every layer speaks them. A name with a dot
   * or none is a package under dev.memstore.
   */
  private static final List<List<String>> LEVELS =
      List.of(
          List.of("API types"),
          List.of("internal.json", "internal.cache", "internal.config", "internal.codec"),
          List.of("internal.nativelib", "internal.background"),
          List.of("internal.storage"),
          List.of("internal.embed"),
          List.of("internal.search", "internal.events", "internal.audit"),
          List.of("internal.write"),
          List.of("internal.lifecycle", "internal.transfer", "internal.privacy"),
          List.of("internal.store"),
          List.of("internal.access"),
          List.of("internal.protocol"),
          List.of("Entry points"),
          List.of("cli"));

  private static final DescribedPredicate<JavaClass> ENTRY_POINTS =
      DescribedPredicate.describe(
          "MemoryStoreBuilder and MemoryProtocol",
          javaClass ->
              Set.of(MemoryStoreBuilder.class.getName(), MemoryProtocol.class.getName())
                  .contains(topLevelName(javaClass)));

  @Test
  void packagesAreLayeredBottomToTop() {
    LayeredArchitecture layers =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("API types")
            .definedBy(
                DescribedPredicate.describe(
                    "the API package but its entry points",
                    javaClass ->
                        javaClass.getPackageName().equals("dev.memstore")
                            && !ENTRY_POINTS.test(javaClass)))
            .layer("Entry points")
            .definedBy(ENTRY_POINTS);
    for (List<String> level : LEVELS) {
      for (String name : level) {
        if (!name.contains(" ")) {
          layers = layers.layer(name).definedBy("dev.memstore." + name + "..");
        }
      }
    }
    for (int index = 1; index < LEVELS.size(); index++) {
      String[] above =
          LEVELS.subList(index + 1, LEVELS.size()).stream()
              .flatMap(List::stream)
              .toArray(String[]::new);
      for (String name : LEVELS.get(index)) {
        if (above.length == 0) {
          layers = layers.whereLayer(name).mayNotBeAccessedByAnyLayer();
        } else if (!name.equals("Entry points")) {
          layers = layers.whereLayer(name).mayOnlyBeAccessedByLayers(above);
        }
      }
    }
    layers
        // The API reaches the internals only through its two entry points: MemoryStore.builder()
        // returns a MemoryStoreBuilder, which opens the store; MemoryProtocol.of() creates the
        // protocol handler.
        .whereLayer("API types")
        .mayOnlyAccessLayers("Entry points")
        .whereLayer("Entry points")
        .mayOnlyBeAccessedByLayers("cli", "API types")
        // The one arrow back up: the handler implements the MemoryProtocol interface whose factory
        // creates it, as an interface and its one implementation do.
        .ignoreDependency(ProtocolHandler.class, MemoryProtocol.class)
        .check(MAIN);
  }

  @Test
  void internalPackagesAreFreeOfCycles() {
    slices().matching("dev.memstore.internal.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void internalClassesAreFreeOfCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return javaClass.getPackageName().startsWith("dev.memstore.internal.")
                    ? SliceIdentifier.of(topLevelName(javaClass))
                    : SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "the internal classes";
              }
            })
        .should()
        .beFreeOfCycles()
        // Exceptions. The filter reads the index's columns under the index's read lock, and
        // the index compiles its filters; splitting the columns into a class of their own would
        // cost a field load per candidate on the hot path.
        .ignoreDependency(searchClass("SlotFilter"), searchClass("VectorIndex"))
        // Likewise the database hands its log folds and its backups to two classes of their own,
        // which work with its connections and writer lock: one unit, split by job.
        .ignoreDependency(storageClass("Checkpointer"), storageClass("Database"))
        .ignoreDependency(storageClass("Backup"), storageClass("Database"))
        .check(MAIN);
  }

  @Test
  void helpersDoNotReachBackIntoTheStoreFacade() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.memstore.internal.store..")
        .should()
        .dependOnClassesThat()
        .haveSimpleName("SqliteMemoryStore")
        .because("the store delegates to its helpers; they take what they need, not the store")
        .check(MAIN);
  }

  @Test
  void filesAndPackagesStaySmall() throws IOException {
    Path root = Path.of("src/main/java");
    Map<String, Integer> packageLines = new TreeMap<>();
    int total = 0;
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
        int lines = Files.readAllLines(file).size();
        String name = root.relativize(file).toString().replace('\\', '/');
        if (lines > MAX_FILE_LINES) {
          tooLong.add(name + " (" + lines + " lines)");
        }
        total += lines;
        if (name.startsWith("dev/memstore/internal/")) {
          packageLines.merge(
              root.relativize(file.getParent()).toString().replace('\\', '/'), lines, Integer::sum);
        }
      }
    }
    assertTrue(tooLong.isEmpty(), "longer than " + MAX_FILE_LINES + " lines: " + tooLong);
    for (Map.Entry<String, Integer> entry : packageLines.entrySet()) {
      assertTrue(
          entry.getValue() * 4 < total,
          entry.getKey() + " holds " + entry.getValue() + " of " + total + " lines, 25% or more");
    }
  }

  @Test
  void everyPackageSaysItsOneJob() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<Path> withoutInfo =
          files
              .filter(path -> path.toString().endsWith(".java"))
              .map(Path::getParent)
              .distinct()
              .filter(folder -> !Files.exists(folder.resolve("package-info.java")))
              .toList();
      assertTrue(withoutInfo.isEmpty(), "packages without a package-info.java: " + withoutInfo);
    }
  }

  private static final int MAX_FILE_LINES = 800;

  private static DescribedPredicate<JavaClass> searchClass(String simpleName) {
    return internalClass("search", simpleName);
  }

  private static DescribedPredicate<JavaClass> storageClass(String simpleName) {
    return internalClass("storage", simpleName);
  }

  private static DescribedPredicate<JavaClass> internalClass(String layer, String simpleName) {
    String name = "dev.memstore.internal." + layer + "." + simpleName;
    return DescribedPredicate.describe(name, javaClass -> topLevelName(javaClass).equals(name));
  }

  private static String topLevelName(JavaClass javaClass) {
    String name = javaClass.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
