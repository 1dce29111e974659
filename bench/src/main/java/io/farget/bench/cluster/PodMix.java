package io.farget.bench.cluster;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.RestartPolicy;

/**
 * The synthetic pod mix: one container, 0.1-0.5 CPU and 64-256 MiB, 80 % of any architecture,
 * 10 % each pinned to x86_64 or aarch64. Deterministic by index, so runs compare.
 */
final class PodMix {
    private static final long[] CPU_MILLIS = {100, 250, 500, 250};
    private static final long[] MEMORY_MIB = {64, 128, 256, 128, 64};

    private PodMix() {}

    static PodSpec spec(int index) {
        Arch arch = switch (index % 10) {
            case 0 -> Arch.ARCH_X86_64;
            case 1 -> Arch.ARCH_AARCH64;
            default -> Arch.ARCH_ANY;
        };
        return PodSpec.newBuilder()
                .setName("bench-" + index)
                .setArch(arch)
                .setRestart(RestartPolicy.RESTART_POLICY_NEVER)
                .addContainers(ContainerSpec.newBuilder()
                        .setName("main")
                        .addCommand("sleep").addCommand("infinity")
                        .setResources(Resources.newBuilder()
                                .setCpuMillis(CPU_MILLIS[index % CPU_MILLIS.length])
                                .setMemoryBytes(MEMORY_MIB[index % MEMORY_MIB.length] << 20)))
                .build();
    }
}
