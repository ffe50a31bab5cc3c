package io.doorsync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The layout the README describes holds: no package cycles, a pure planner, no source file a newcomer needs a tour for. */
class LayoutTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.doorsync");

    /** Main source files allowed past the limit, each with the reason (none today). */
    private static final Map<String, String> LONG_FILES_AND_WHY = Map.of();
    private static final int MAX_LINES = 400;

    @Test
    void packagesDependOnEachOtherOneWay() {
        slices().matching("io.doorsync.(**)").should().beFreeOfCycles().check(PRODUCT);
    }

    @Test
    void thePlannerIsPure() {
        noClasses().that().resideInAPackage("io.doorsync.plan..").should().dependOnClassesThat()
                .resideInAnyPackage("io.doorsync.run..", "io.doorsync.execute..", "io.doorsync.store..",
                        "io.doorsync.doorflow..", "io.doorsync.crm..", "jakarta..", "io.quarkus..", "java.sql..",
                        "java.net..")
                .check(PRODUCT);
    }

    @Test
    void theProductDoesNotReachIntoTheSimulatorOrTheDemo() {
        noClasses().that().resideOutsideOfPackages("io.doorsync.simulator..", "io.doorsync.demo..").should()
                .dependOnClassesThat().resideInAnyPackage("io.doorsync.simulator..", "io.doorsync.demo..")
                .check(PRODUCT);
    }

    @Test
    void noSourceFileIsOverTheLimitWithoutAReason() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("src/simulator/java")))) {
            tooLong = files.filter(f -> f.toString().endsWith(".java")).filter(f -> lines(f) > MAX_LINES)
                    .map(f -> f.getFileName().toString()).filter(name -> !LONG_FILES_AND_WHY.containsKey(name))
                    .toList();
        }
        assertThat(tooLong).as("main source files over " + MAX_LINES + " lines").isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
