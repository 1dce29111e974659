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
        assertThat(c.cgroupsPath()).isEqualTo("/farget/abcdefghijkl");
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
    void refusesWhatThisRuntimeCannotRunYet() {
        PodSpec two = PodSpec.newBuilder().setName("p").addContainers(container("a")).addContainers(container("b")).build();
        PodSpec init = PodSpec.newBuilder().setName("p").addContainers(container("a")).addInitContainers(container("i")).build();
        PodSpec image = PodSpec.newBuilder().setName("p").addContainers(container("a").setImage("alpine:3")).build();

        assertThatThrownBy(() -> PodTranslator.checkSupported(two)).hasMessage("multi-container pods are not supported yet");
        assertThatThrownBy(() -> PodTranslator.checkSupported(init)).hasMessageContaining("init containers are not supported yet");
        assertThatThrownBy(() -> PodTranslator.checkSupported(image)).hasMessageStartingWith("images are not supported yet");
    }
}
