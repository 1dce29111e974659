package io.farget.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void archesParseAliasesAndMatch() {
        assertThat(Arches.parse("amd64")).isEqualTo(Arch.ARCH_X86_64);
        assertThat(Arches.parse("arm64")).isEqualTo(Arch.ARCH_AARCH64);
        assertThat(Arches.parse(null)).isEqualTo(Arch.ARCH_ANY);
        assertThatThrownBy(() -> Arches.parse("sparc")).hasMessageContaining("not an architecture");
        assertThat(Arches.fromOsArch("amd64")).isEqualTo(Arch.ARCH_X86_64);
        assertThat(Arches.fromOsArch("aarch64")).isEqualTo(Arch.ARCH_AARCH64);
        assertThat(Arches.compatible(Arch.ARCH_ANY, Arch.ARCH_AARCH64)).isTrue();
        assertThat(Arches.compatible(Arch.ARCH_X86_64, Arch.ARCH_AARCH64)).isFalse();
        assertThat(Arches.name(Arch.ARCH_X86_64)).isEqualTo("x86_64");
    }

    @Test
    void podSizeIsTheSumOfContainersAndAtLeastTheBiggestInitContainer() {
        PodSpec spec = PodSpec.newBuilder()
                .addContainers(ContainerSpec.newBuilder().setResources(ResourceMath.of(250, 100)))
                .addContainers(ContainerSpec.newBuilder().setResources(ResourceMath.of(100, 50)))
                .addInitContainers(ContainerSpec.newBuilder().setResources(ResourceMath.of(1000, 10)))
                .build();
        assertThat(ResourceMath.podSize(spec)).isEqualTo(ResourceMath.of(1000, 150));
        assertThat(ResourceMath.fits(ResourceMath.of(1, 1), ResourceMath.of(1, 1))).isTrue();
        assertThat(ResourceMath.fits(ResourceMath.of(2, 1), ResourceMath.of(1, 1))).isFalse();
        assertThat(ResourceMath.subtract(ResourceMath.of(5, 5), ResourceMath.of(2, 3))).isEqualTo(ResourceMath.of(3, 2));
    }

    @Test
    void errorsMapToGrpcStatusWithTheLeaderHint() {
        StatusRuntimeException invalid = GrpcErrors.toStatus(FargetException.invalid("name", "bad"));
        assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(invalid.getStatus().getDescription()).isEqualTo("name: bad");
        StatusRuntimeException notLeader = GrpcErrors.toStatus(new NotLeaderException("10.0.0.1:7070"));
        assertThat(notLeader.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(GrpcErrors.leaderHint(notLeader)).isEqualTo("10.0.0.1:7070");
        assertThat(GrpcErrors.toStatus(FargetException.notFound("pod x")).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(GrpcErrors.toStatus(new IllegalStateException("boom")).getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void idsPhasesAndTimestamps() {
        String id = PodIds.newId();
        assertThat(PodIds.isValid(id)).isTrue();
        assertThat(PodIds.isValid("UPPER")).isFalse();
        assertThat(PodIds.newId()).isNotEqualTo(id);
        assertThat(PodPhases.isTerminal(PodPhase.POD_PHASE_FAILED)).isTrue();
        assertThat(PodPhases.isTerminal(PodPhase.POD_PHASE_RUNNING)).isFalse();
        assertThat(PodPhases.name(PodPhase.POD_PHASE_RUNNING)).isEqualTo("RUNNING");
        assertThat(PodPhases.parse("lost")).isEqualTo(PodPhase.POD_PHASE_LOST);
        Instant now = Instant.parse("2026-11-28T15:20:31.123456789Z");
        assertThat(Timestamps.toInstant(Timestamps.of(now))).isEqualTo(now);
        assertThat(Timestamps.toInstant(com.google.protobuf.Timestamp.getDefaultInstance())).isNull();
    }
}
