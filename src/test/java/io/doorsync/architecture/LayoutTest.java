package io.doorsync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
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

    /** A class needing more collaborators than this does more than one thing: split it (see docs/building.md). */
    private static final int MAX_COLLABORATORS = 8;

    @Test
    void noClassHasMoreThanEightInjectedCollaborators() {
        List<String> crowded = PRODUCT.stream().filter(c -> !c.getPackageName().startsWith("io.doorsync.simulator")
                && !c.getPackageName().startsWith("io.doorsync.demo")) // not in a production build
                .filter(c -> collaborators(c) > MAX_COLLABORATORS)
                .map(c -> c.getSimpleName() + " (" + collaborators(c) + ")").toList();
        assertThat(crowded).as("classes with more than " + MAX_COLLABORATORS + " injected collaborators").isEmpty();
    }

    @Test
    void theSyncRunnerReadsInOneScreen() {
        assertThat(lines(Path.of("src/main/java/io/doorsync/run/SyncRunner.java"))).isLessThan(200);
    }

    @Test
    void doorsyncsOwnSchemaIsNamedInOnePlace() throws IOException {
        List<String> naming;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            naming = files.filter(f -> f.toString().endsWith(".java")).filter(f -> namesTheSchema(f))
                    .map(f -> f.getFileName().toString()).toList();
        }
        assertThat(naming).as("main sources spelling doorsync's schema in SQL (application.properties names it)")
                .isEmpty();
    }

    private static boolean namesTheSchema(Path file) {
        try {
            String source = Files.readString(file).replaceAll("\"\\s*\\+\\s*\"", ""); // "a" + "b" is "ab"
            return Pattern.compile("\"[^\"\\n]*\\b(from|into|update|join|table)\\s+doorsync\\.",
                    Pattern.CASE_INSENSITIVE).matcher(source).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Constructor parameters of a bean's injection constructor, plus its {@code @Inject} fields; a Qute template is
     * the class's own view, not a collaborator.
     */
    private static int collaborators(JavaClass c) {
        int constructor = c.getConstructors().stream().mapToInt(k -> (int) k.getRawParameterTypes().stream()
                .filter(t -> !t.getName().equals("io.quarkus.qute.Template")).count()).max().orElse(0);
        long fields = c.getFields().stream().filter(f -> f.isAnnotatedWith(Inject.class)).count();
        boolean bean = c.isAnnotatedWith(ApplicationScoped.class) || c.isAnnotatedWith(Singleton.class)
                || c.isAnnotatedWith(RequestScoped.class) || c.isAnnotatedWith(Dependent.class)
                || c.isAnnotatedWith("jakarta.ws.rs.Path") || c.isAnnotatedWith("org.eclipse.microprofile.health.Readiness")
                || c.isAnnotatedWith("org.eclipse.microprofile.health.Liveness");
        return bean ? constructor + (int) fields : 0;
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
