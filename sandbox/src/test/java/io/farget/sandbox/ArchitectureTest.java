package io.farget.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The building blocks (oci, cgroup, linux, runc) know nothing of the runtimes built from them. */
@AnalyzeClasses(packages = "io.farget.sandbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule buildingBlocksDoNotDependOnTheRuntimes = noClasses()
            .that().resideInAnyPackage("io.farget.sandbox.oci..", "io.farget.sandbox.cgroup..", "io.farget.sandbox.linux..",
                    "io.farget.sandbox.runc..", "io.farget.sandbox.image..")
            .should().dependOnClassesThat().resideInAPackage("io.farget.sandbox");

    @ArchTest
    static final ArchRule specAndCgroupsArePureOfProcessHandling = noClasses()
            .that().resideInAnyPackage("io.farget.sandbox.oci..", "io.farget.sandbox.cgroup..")
            .should().dependOnClassesThat().resideInAnyPackage("io.farget.sandbox.runc..", "io.farget.sandbox.linux..", "com.sun.jna..");
}
