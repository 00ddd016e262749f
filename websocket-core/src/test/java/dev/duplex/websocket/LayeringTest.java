package dev.duplex.websocket;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The package layering DESIGN.md fixes: the wire format apart from I/O apart from the user API. */
class LayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.duplex.websocket");

    @Test
    void codecDependsOnNothingButTheApi() {
        assertHolds(noClasses()
                .that()
                .resideInAPackage("..websocket.codec..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.handshake..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server.."));
    }

    @Test
    void handshakeDependsOnNothingButTheApi() {
        assertHolds(noClasses()
                .that()
                .resideInAPackage("..websocket.handshake..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.codec..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server.."));
    }

    @Test
    void apiDependsOnNoImplementationPackage() {
        assertHolds(noClasses()
                .that()
                .resideInAPackage("dev.duplex.websocket")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..websocket.codec..",
                        "..websocket.handshake..",
                        "..websocket.transport..",
                        "..websocket.client..",
                        "..websocket.server.."));
    }

    @Test
    void transportKnowsNeitherClientNorServer() {
        assertHolds(noClasses()
                .that()
                .resideInAPackage("..websocket.transport..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..websocket.client..", "..websocket.server.."));
    }

    @Test
    void clientAndServerStayApart() {
        assertHolds(noClasses()
                .that()
                .resideInAPackage("..websocket.client..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..websocket.server.."));
    }

    /** Evaluates {@code rule} on the main classes and fails with ArchUnit's report of every violation. */
    private static void assertHolds(ArchRule rule) {
        EvaluationResult result = rule.evaluate(CORE);
        assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
    }
}
