package io.farget.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.farget.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule onlyProtoAndCommon = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.farget.scheduler..", "io.farget.agent..", "io.farget.sandbox..", "io.farget.launcher..");

    /** Views, tables and spec parsing are pure: no network, no command line framework. */
    @ArchTest
    static final ArchRule pureLogicDoesNoIo = noClasses()
            .that().resideInAnyPackage("io.farget.cli.view..", "io.farget.cli.output..", "io.farget.cli.spec..")
            .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "picocli..", "io.farget.cli.client..");
}
