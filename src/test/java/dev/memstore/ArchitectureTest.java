package dev.memstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

  @Test
  void writePathAndLifecycleDoNotReachBackIntoTheFacade() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.memstore.internal.write..", "dev.memstore.internal.lifecycle..")
        .should()
        .dependOnClassesThat()
        .haveSimpleName("SqliteMemoryStore")
        .because("the store delegates to them; they take what they need, not the store")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.memstore.internal.write..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.memstore.internal.lifecycle..")
        .because("the lifecycle operations write through the write path, not the other way")
        .check(MAIN);
  }

  @Test
  void storageEmbeddingAndEventsDoNotReachUpIntoTheLayersThatUseThem() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.memstore.internal.storage..",
            "dev.memstore.internal.embed..",
            "dev.memstore.internal.events..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.memstore.internal.store..",
            "dev.memstore.internal.write..",
            "dev.memstore.internal.lifecycle..",
            "dev.memstore.internal.transfer..",
            "dev.memstore.internal.protocol..")
        .because("they are the layers below the write path, the lifecycle and the façade")
        .check(MAIN);
  }
}
