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
    void onlyThePlannerUsesThePlacementEngine() {
        // The engine itself is the farget-placement module, pure and checked there.
        noClasses().that().resideOutsideOfPackages("io.farget.scheduler.plan..", "io.farget.scheduler.leader..",
                        "io.farget.scheduler.bootstrap..")
                .and().resideInAPackage("io.farget.scheduler..")
                .should().dependOnClassesThat().resideInAPackage("io.farget.placement..")
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
                .layer("metering").definedBy("io.farget.scheduler.metering..")
                .layer("state").definedBy("io.farget.scheduler.state..")
                .whereLayer("bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("agent").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("leader").mayOnlyBeAccessedByLayers("bootstrap", "api", "agent")
                .whereLayer("plan").mayOnlyBeAccessedByLayers("leader")
                .whereLayer("control").mayOnlyBeAccessedByLayers("leader", "plan", "api", "agent")
                .whereLayer("node").mayOnlyBeAccessedByLayers("leader", "plan", "control", "agent")
                .whereLayer("lifecycle").mayOnlyBeAccessedByLayers("leader", "plan", "control")
                .whereLayer("metering").mayOnlyBeAccessedByLayers("bootstrap", "leader", "control", "api")
                .whereLayer("state").mayOnlyBeAccessedByLayers("bootstrap", "leader", "plan", "control", "node", "api", "metering")
                .check(CLASSES);
    }
}
