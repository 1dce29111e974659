package io.farget.bench.placement;

import java.util.Set;

/** One row of a pod list: {@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,...} (later columns ignored). */
public record TracePod(String name, long cpuMillis, long memoryMib, int numGpu, int gpuMilli, Set<String> gpuSpec) {
    /** GPU milli this pod asks for in total. */
    public long gpuRequestMilli() {
        return numGpu == 0 ? 0 : (long) numGpu * gpuMilli;
    }
}
