package io.farget.bench.cluster;

import io.farget.bench.placement.TraceFiles;
import io.farget.bench.placement.TraceNode;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import io.farget.proto.v1.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's hosts: either a synthetic mix (no GPUs) or the host list of a trace (its rows cycled
 * to fill the fleet, with their GPUs). Architectures are mixed in both: every {@code aarch64Every}-th host is aarch64,
 * since the traces do not record one.
 */
public final class HostShapes {
    /** Synthetic hosts: 32 CPU / 128 GiB and 64 CPU / 256 GiB, alternating. */
    private static final long[][] SYNTHETIC = {{32_000, 128L << 30}, {64_000, 256L << 30}};

    private HostShapes() {}

    public static List<HostShape> synthetic(int count, int aarch64Every) {
        List<HostShape> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long[] size = SYNTHETIC[i % SYNTHETIC.length];
            out.add(new HostShape(name(i), arch(i, aarch64Every), capacity(size[0], size[1]), GpuInfo.getDefaultInstance()));
        }
        return out;
    }

    /** The rows of a trace node list ({@code sn,cpu_milli,memory_mib,...}), read from {@code nodeList}, cycled. */
    public static List<HostShape> fromTrace(Path nodeList, int count, int aarch64Every) {
        List<TraceNode> rows = TraceFiles.nodes(nodeList);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no hosts in " + nodeList);
        }
        List<HostShape> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TraceNode row = rows.get(i % rows.size());
            out.add(new HostShape(name(i), arch(i, aarch64Every), capacity(row.cpuMillis(), row.memoryMib() << 20), gpus(row)));
        }
        return out;
    }

    /** The row's GPUs, all of its one model, as the agent would find them with nvidia-smi. */
    private static GpuInfo gpus(TraceNode row) {
        return row.gpus() <= 0 ? GpuInfo.getDefaultInstance()
                : GpuInfo.newBuilder().setCount(row.gpus()).setModel(row.model() == null ? "" : row.model()).build();
    }

    private static String name(int i) {
        return String.format("hollow-%05d", i);
    }

    private static Arch arch(int i, int aarch64Every) {
        return aarch64Every > 0 && i % aarch64Every == aarch64Every - 1 ? Arch.ARCH_AARCH64 : Arch.ARCH_X86_64;
    }

    private static Resources capacity(long cpuMillis, long memoryBytes) {
        return Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes).build();
    }
}
