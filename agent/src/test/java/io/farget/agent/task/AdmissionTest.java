package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    static final long MI = 1L << 20;
    static final Resources CAPACITY = ResourceMath.of(2000, 1024 * MI);

    static PodSpec pod(Arch arch, long cpu, long memory) {
        return PodSpec.newBuilder().setName("p").setArch(arch)
                .addContainers(ContainerSpec.newBuilder().setName("a").setResources(ResourceMath.of(cpu, memory)))
                .build();
    }

    @Test
    void takesAPodThatFitsExactly() {
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.of(500, 512 * MI),
                pod(Arch.ARCH_ANY, 1500, 512 * MI))).isEmpty();
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.ZERO,
                pod(Arch.ARCH_UNSPECIFIED, 100, MI))).isEmpty();
    }

    @Test
    void namesWhatIsShortAndWhatIsFree() {
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.of(500, 0), pod(Arch.ARCH_ANY, 2000, MI)))
                .contains("node node-x refused: needs 2 CPU, 1.5 free");
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.of(0, 768 * MI), pod(Arch.ARCH_ANY, 100, 512 * MI)))
                .contains("node node-x refused: needs 512Mi memory, 256Mi free");
    }

    @Test
    void refusesAnotherArchitecture() {
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.ZERO, pod(Arch.ARCH_AARCH64, 100, MI)))
                .contains("node node-x refused: pod needs aarch64, node is x86_64");
    }

    @Test
    void overcommittedNodeShowsNoNegativeFreeSpace() {
        assertThat(Admission.refusal("node-x", Arch.ARCH_X86_64, CAPACITY, ResourceMath.of(3000, 0), pod(Arch.ARCH_ANY, 100, MI)))
                .contains("node node-x refused: needs 0.1 CPU, 0 free");
    }
}
