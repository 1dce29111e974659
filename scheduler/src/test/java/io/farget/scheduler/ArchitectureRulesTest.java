package io.farget.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency arrows of the scheduler point one way; the build fails when one turns around. */
class ArchitectureRulesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.farget.scheduler");

    @Test
    void placementIsPureAndStandsAlone() {
        noClasses().that().resideInAPackage("io.farget.scheduler.placement..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.farget.scheduler.state..", "io.farget.scheduler.lifecycle..", "io.farget.scheduler.node..",
                        "io.farget.scheduler.control..", "io.farget.scheduler.plan..", "io.farget.scheduler.agent..",
                        "io.farget.scheduler.api..", "io.farget.scheduler.leader..", "io.farget.scheduler.bootstrap..",
                        "io.farget.proto..", "io.farget.common..", "com.google.protobuf..", "io.grpc..",
                        "org.apache.curator..", "org.apache.zookeeper..", "java.io..", "java.nio..", "java.net..")
                .check(CLASSES);
    }

    @Test
    void lifecycleDoesNoIo() {
        noClasses().that().resideInAPackage("io.farget.scheduler.lifecycle..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "org.apache.curator..", "org.apache.zookeeper..")
                .check(CLASSES);
    }

    @Test
    void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.farget.scheduler..")
                .layer("bootstrap").definedBy("io.farget.scheduler.bootstrap..")
                .layer("api").definedBy("io.farget.scheduler.api..")
                .layer("agent").definedBy("io.farget.scheduler.agent..")
                .layer("leader").definedBy("io.farget.scheduler.leader..")
                .layer("plan").definedBy("io.farget.scheduler.plan..")
                .layer("control").definedBy("io.farget.scheduler.control..")
                .layer("node").definedBy("io.farget.scheduler.node..")
                .layer("lifecycle").definedBy("io.farget.scheduler.lifecycle..")
                .layer("state").definedBy("io.farget.scheduler.state..")
                .layer("placement").definedBy("io.farget.scheduler.placement..")
                .whereLayer("bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("agent").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("leader").mayOnlyBeAccessedByLayers("bootstrap", "api", "agent")
                .whereLayer("plan").mayOnlyBeAccessedByLayers("leader")
                .whereLayer("control").mayOnlyBeAccessedByLayers("leader", "plan", "api", "agent")
                .whereLayer("node").mayOnlyBeAccessedByLayers("leader", "plan", "control", "agent")
                .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("leader", "plan", "control")
                .whereLayer("state").mayOnlyBeAccessedByLayers("bootstrap", "leader", "plan", "control", "node", "api")
                .whereLayer("placement").mayOnlyBeAccessedByLayers("bootstrap", "leader", "plan")
                .check(CLASSES);
    }
}
