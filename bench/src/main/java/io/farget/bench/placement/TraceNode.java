package io.farget.bench.placement;

/** One row of a node list: {@code sn,cpu_milli,memory_mib,gpu,model}. */
public record TraceNode(String name, long cpuMillis, long memoryMib, int gpus, String model) {}
