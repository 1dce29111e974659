package io.farget.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.PodSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {
    @Test
    void namesPodsAfterTheCommandAsADnsLabel() {
        assertThat(PodNames.fromCommand("sh")).isEqualTo("sh");
        assertThat(PodNames.fromCommand("/usr/bin/python3.11")).isEqualTo("python3-11");
        assertThat(PodNames.fromCommand("My_Tool")).isEqualTo("my-tool");
        assertThat(PodNames.fromCommand("./--")).isEqualTo("pod");
        assertThat(PodNames.fromCommand("")).isEqualTo("pod");
        assertThat(PodNames.fromCommand("x".repeat(70) + "-y")).hasSize(63);
    }

    @Test
    void theContainerIsNamedLikeThePod() {
        PodSpec spec = new RunSpec(null, null, null, null, null, null, null, List.of("/bin/echo", "hi")).toPodSpec();

        assertThat(spec.getName()).isEqualTo("echo");
        assertThat(spec.getContainers(0).getName()).isEqualTo("echo");
        assertThat(spec.getContainers(0).getCommandList()).containsExactly("/bin/echo", "hi");
    }
}
