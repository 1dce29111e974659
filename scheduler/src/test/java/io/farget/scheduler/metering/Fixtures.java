package io.farget.scheduler.metering;

import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.Resources;
import java.time.Instant;

/** Pods and samples for the metering tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final long GI = 1L << 30;

    private Fixtures() {}

    static Pod pod(String id, long cpuMillis, long memoryBytes, PodPhase phase, Instant started, Instant finished) {
        PodStatus.Builder status = PodStatus.newBuilder().setPhase(phase).setNodeId("node-a").setAttempt(1);
        if (started != null) {
            status.setStartedAt(Timestamps.of(started));
        }
        if (finished != null) {
            status.setFinishedAt(Timestamps.of(finished));
        }
        return Pod.newBuilder().setId(id)
                .setSpec(PodSpec.newBuilder().setName(id).putLabels("app", "web").addContainers(ContainerSpec.newBuilder()
                        .setName("main").addCommand("true")
                        .setResources(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes))))
                .setStatus(status)
                .build();
    }

    static PodUsage usage(long seq, Instant at, long cpuNanos, long memoryBytes, long memoryByteSeconds) {
        return PodUsage.newBuilder().setSampleSeq(seq).setSampledAt(Timestamps.of(at)).setCpuNanos(cpuNanos)
                .setMemoryBytes(memoryBytes).setPeakMemoryBytes(memoryBytes).setMemoryByteSeconds(memoryByteSeconds).build();
    }

    static Arch x86(String nodeId) {
        return Arch.ARCH_X86_64;
    }
}
