package io.farget.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PodSpecsTest {
    private static PodSpec valid() {
        return PodSpec.newBuilder().setName("web")
                .addContainers(ContainerSpec.newBuilder().addCommand("sh").addCommand("-c").addCommand("echo hi")
                        .setResources(ResourceMath.of(250, 64L << 20)))
                .build();
    }

    private static PodSpec withContainer(UnaryOperator<ContainerSpec.Builder> change) {
        PodSpec spec = valid();
        return spec.toBuilder().setContainers(0, change.apply(spec.getContainers(0).toBuilder())).build();
    }

    @Test
    void fillsDefaults() {
        PodSpec spec = PodSpecs.validateAndNormalize(valid());
        assertThat(spec.getArch()).isEqualTo(Arch.ARCH_ANY);
        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_NEVER);
        assertThat(spec.getContainers(0).getName()).isEqualTo("main");
    }

    @Test
    void namesTheFieldOfEveryRejection() {
        assertInvalid(valid().toBuilder().setName("Bad_Name").build(), "name: ");
        assertInvalid(valid().toBuilder().setName("").build(), "name: is required");
        assertInvalid(valid().toBuilder().setName("a".repeat(64)).build(), "name: ");
        assertInvalid(withContainer(c -> c.setResources(ResourceMath.of(0, 64L << 20))), "containers[0].resources.cpu: must be greater than 0");
        assertInvalid(withContainer(c -> c.setResources(ResourceMath.of(-5, 64L << 20))), "containers[0].resources.cpu");
        assertInvalid(withContainer(c -> c.setResources(ResourceMath.of(100, 1L << 20))), "containers[0].resources.memory: must be at least 4Mi");
        assertInvalid(withContainer(c -> c.clearCommand()), "containers[0].command: must not be empty");
        assertInvalid(withContainer(c -> c.putEnv("1BAD", "x")), "containers[0].env.1BAD");
        assertInvalid(withContainer(c -> c.setWorkingDir("relative")), "containers[0].workingDir");
        assertInvalid(valid().toBuilder().setArchValue(99).build(), "arch: must be x86_64, aarch64 or any");
        assertInvalid(valid().toBuilder().clearContainers().build(), "containers: at least one container");
    }

    @Test
    void rejectsDuplicateContainerNames() {
        ContainerSpec c = valid().getContainers(0).toBuilder().setName("a").build();
        assertInvalid(valid().toBuilder().clearContainers().addContainers(c).addContainers(c).build(), "containers[1].name: 'a' is used");
    }

    @Test
    void acceptsMemoryOfExactlyFourMebibytes() {
        PodSpec spec = withContainer(c -> c.setResources(ResourceMath.of(1, 4L << 20)));
        assertThat(PodSpecs.validateAndNormalize(spec).getContainers(0).getResources().getMemoryBytes()).isEqualTo(4L << 20);
    }

    private static void assertInvalid(PodSpec spec, String messageStart) {
        assertThatThrownBy(() -> PodSpecs.validateAndNormalize(spec))
                .isInstanceOfSatisfying(FargetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(messageStart);
    }
}
