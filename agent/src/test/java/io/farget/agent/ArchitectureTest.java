package io.farget.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The agent's dependency arrows point one way: bootstrap -> session -> report/logs -> task -> state/capacity. */
@AnalyzeClasses(packages = "io.farget.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("bootstrap").definedBy("io.farget.agent.bootstrap..")
            .layer("session").definedBy("io.farget.agent.session..")
            .layer("report").definedBy("io.farget.agent.report..")
            .layer("logs").definedBy("io.farget.agent.logs..")
            .layer("connect").definedBy("io.farget.agent.connect..")
            .layer("task").definedBy("io.farget.agent.task..")
            .layer("state").definedBy("io.farget.agent.state..")
            .layer("capacity").definedBy("io.farget.agent.capacity..")
            .whereLayer("bootstrap").mayNotBeAccessedByAnyLayer()
            .whereLayer("session").mayOnlyBeAccessedByLayers("bootstrap")
            .whereLayer("report").mayOnlyBeAccessedByLayers("session", "bootstrap")
            .whereLayer("logs").mayOnlyBeAccessedByLayers("session", "bootstrap")
            .whereLayer("connect").mayOnlyBeAccessedByLayers("session", "bootstrap")
            .whereLayer("task").mayOnlyBeAccessedByLayers("report", "logs", "session", "bootstrap")
            .whereLayer("state").mayOnlyBeAccessedByLayers("task", "session", "bootstrap")
            .whereLayer("capacity").mayOnlyBeAccessedByLayers("task", "session", "bootstrap");

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.farget.agent.(*)..").should().beFreeOfCycles();

    /** Production code talks to sandboxes only through the SandboxRuntime seam. */
    @ArchTest
    static final ArchRule noFakeRuntimeInProduction = noClasses().should().dependOnClassesThat()
            .haveFullyQualifiedName("io.farget.sandbox.FakeRuntime");

    /** Only the connect package speaks gRPC; the rest works with messages. */
    @ArchTest
    static final ArchRule grpcStaysInConnect = noClasses().that().resideOutsideOfPackage("io.farget.agent.connect..")
            .should().dependOnClassesThat().resideInAPackage("io.grpc..");
}
