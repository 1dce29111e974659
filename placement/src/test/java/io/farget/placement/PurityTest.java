package io.farget.placement;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Placement is pure: no I/O, no wire or storage types, and the model knows nothing of the engine. */
class PurityTest {
    private static final com.tngtech.archunit.core.domain.JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.farget.placement");

    @Test
    void noIoNorWireTypes() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
                "io.farget.proto..", "io.farget.common..", "io.farget.scheduler..", "com.google.protobuf..", "io.grpc..",
                "org.apache.curator..", "org.apache.zookeeper..").check(CLASSES);
    }

    @Test
    void theModelStandsAlone() {
        noClasses().that().resideInAPackage("io.farget.placement.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.farget.placement.engine..", "io.farget.placement.scoring..")
                .check(CLASSES);
    }
}
