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

    @Test
    void validatesUsersVolumesMountsPortsAndNetwork() {
        io.farget.proto.v1.Volume data = io.farget.proto.v1.Volume.newBuilder().setName("data")
                .setEmptyDir(io.farget.proto.v1.EmptyDirVolume.getDefaultInstance()).build();
        io.farget.proto.v1.VolumeMount mount = io.farget.proto.v1.VolumeMount.newBuilder().setName("data").setMountPath("/data").build();
        PodSpec good = withContainer(c -> c.setUser("1000:1000").addVolumeMounts(mount)
                .addPorts(io.farget.proto.v1.PortMapping.newBuilder().setContainerPort(8080))).toBuilder().addVolumes(data).build();

        assertThat(PodSpecs.validateAndNormalize(good).getVolumesCount()).isEqualTo(1);
        assertInvalid(withContainer(c -> c.setUser("root")), "containers[0].user");
        assertInvalid(withContainer(c -> c.addVolumeMounts(mount)), "containers[0].volumeMounts[0].name");
        assertInvalid(good.toBuilder().setContainers(0, good.getContainers(0).toBuilder()
                .setVolumeMounts(0, mount.toBuilder().setMountPath("../x"))).build(), "containers[0].volumeMounts[0].mountPath");
        assertInvalid(good.toBuilder().addVolumes(data).build(), "volumes[1].name");
        assertInvalid(valid().toBuilder().addVolumes(io.farget.proto.v1.Volume.newBuilder().setName("v")).build(), "volumes[0]: needs a source");
        assertInvalid(valid().toBuilder().addVolumes(io.farget.proto.v1.Volume.newBuilder().setName("v")
                .setHostPath(io.farget.proto.v1.HostPathVolume.newBuilder().setPath("relative"))).build(), "volumes[0].hostPath.path");
        assertInvalid(withContainer(c -> c.addPorts(io.farget.proto.v1.PortMapping.newBuilder().setContainerPort(0))),
                "containers[0].ports[0].containerPort");
        assertInvalid(valid().toBuilder().setNetwork("host").build(), "network");
        assertInvalid(valid().toBuilder().setTerminationGracePeriodMillis(-1).build(), "terminationGracePeriod");
    }

    private static void assertInvalid(PodSpec spec, String messageStart) {
        assertThatThrownBy(() -> PodSpecs.validateAndNormalize(spec))
                .isInstanceOfSatisfying(FargetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(messageStart);
    }
}
