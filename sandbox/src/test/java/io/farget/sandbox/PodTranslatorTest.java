package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.sandbox.oci.OciContainer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PodTranslatorTest {
    private static final RuncConfig CONFIG = RuncConfig.defaults(Path.of("/data")).withPidsLimit(99);

    private static ContainerSpec.Builder container(String name) {
        return ContainerSpec.newBuilder().setName(name).addCommand("env")
                .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryBytes(64L << 20));
    }

    @Test
    void oneImagelessContainerBecomesTheMainProcess() throws SandboxException {
        PodSpec spec = PodSpec.newBuilder().setName("web")
                .addContainers(container("main").putEnv("ZED", "1").putEnv("ALPHA", "2")).build();

        OciContainer c = PodTranslator.mainContainer(new SandboxRequest("abcdefghijkl", 1, spec), CONFIG);

        assertThat(c.hostname()).isEqualTo("web");
        assertThat(c.args()).containsExactly("env");
        assertThat(c.env().keySet()).containsExactly("PATH", "ALPHA", "ZED");
        assertThat(c.env().get("PATH")).isEqualTo(PodTranslator.DEFAULT_PATH);
        assertThat(c.cwd()).isEqualTo("/");
        assertThat(c.cpuMillis()).isEqualTo(250);
        assertThat(c.memoryBytes()).isEqualTo(64L << 20);
        assertThat(c.pidsLimit()).isEqualTo(99);
        assertThat(c.cgroupsPath()).isEqualTo("/farget/abcdefghijkl/main");
        assertThat(c.hostname()).as("a lone container owns the pod's uts namespace").isEqualTo("web");
    }

    @Test
    void theContainersOwnPathAndWorkingDirWin() throws SandboxException {
        PodSpec spec = PodSpec.newBuilder().setName("web")
                .addContainers(container("main").putEnv("PATH", "/opt/bin").setWorkingDir("/tmp")).build();

        OciContainer c = PodTranslator.mainContainer(new SandboxRequest("abcdefghijkl", 1, spec), CONFIG);

        assertThat(c.env()).containsEntry("PATH", "/opt/bin");
        assertThat(c.cwd()).isEqualTo("/tmp");
    }

    @Test
    void aPodWithSeveralContainersOrInitContainersGetsAPauseAndContainersJoinIt() throws SandboxException {
        PodSpec spec = PodSpec.newBuilder().setName("p").addInitContainers(container("setup"))
                .addContainers(container("a")).addContainers(container("b").setUser("1000")).build();

        PodPlan plan = PodTranslator.plan(new SandboxRequest("abcdefghijkl", 1, spec), CONFIG, java.util.Map.of(), java.util.Map.of());

        assertThat(plan.hasPause()).isTrue();
        assertThat(plan.pause().hostname()).isEqualTo("p");
        assertThat(plan.pause().cgroupsPath()).isEqualTo("/farget/abcdefghijkl/_pause");
        assertThat(plan.initContainers()).extracting(ContainerPlan::name).containsExactly("setup");
        assertThat(plan.containers()).extracting(ContainerPlan::runcId).containsExactly("abcdefghijkl.a", "abcdefghijkl.b");
        assertThat(plan.containers()).allSatisfy(c -> assertThat(c.oci().hostname()).isNull());
        assertThat(plan.containers().get(0).oci().cgroupsPath()).isEqualTo("/farget/abcdefghijkl/a");
        assertThat(plan.containers().get(1).oci().user()).isEqualTo(new io.farget.sandbox.oci.UserIds(1000, 1000));
        assertThat(plan.podLimits().cpuMillis()).isEqualTo(500);
        assertThat(plan.podLimits().memoryBytes()).isEqualTo((128L << 20) + PodTranslator.PAUSE_MEMORY_BYTES);
    }

    @Test
    void usersComeFromTheSpecThenTheConfigDefault() throws SandboxException {
        RuncConfig nonRoot = CONFIG.withRunAsNonRootDefault(true);

        assertThat(PodTranslator.user(container("a").build(), null, CONFIG)).isEqualTo(io.farget.sandbox.oci.UserIds.ROOT);
        assertThat(PodTranslator.user(container("a").build(), null, nonRoot)).isEqualTo(io.farget.sandbox.oci.UserIds.NOBODY);
        assertThat(PodTranslator.user(container("a").setUser("5:6").build(), null, nonRoot))
                .isEqualTo(new io.farget.sandbox.oci.UserIds(5, 6));
        assertThatThrownBy(() -> PodTranslator.user(container("a").setUser("alice").build(), null, CONFIG))
                .hasMessageContaining("uid or uid:gid");
    }

    @Test
    void refusesVolumesThatDoNotAddUp() {
        PodSpec undefined = PodSpec.newBuilder().setName("p").addContainers(container("a")
                .addVolumeMounts(io.farget.proto.v1.VolumeMount.newBuilder().setName("data").setMountPath("/data"))).build();
        PodSpec relative = PodSpec.newBuilder().setName("p")
                .addVolumes(io.farget.proto.v1.Volume.newBuilder().setName("data").setEmptyDir(io.farget.proto.v1.EmptyDirVolume.getDefaultInstance()))
                .addContainers(container("a")
                .addVolumeMounts(io.farget.proto.v1.VolumeMount.newBuilder().setName("data").setMountPath("data"))).build();

        assertThatThrownBy(() -> PodTranslator.checkSupported(undefined)).hasMessageContaining("does not define");
        assertThatThrownBy(() -> PodTranslator.checkSupported(relative)).hasMessageContaining("must be an absolute path");
    }
}
