package io.farget.common;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;

/** Arithmetic on {@link Resources}; every result is a new value. */
public final class ResourceMath {
    public static final Resources ZERO = Resources.getDefaultInstance();

    private ResourceMath() {}

    public static Resources of(long cpuMillis, long memoryBytes) {
        return Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryBytes(memoryBytes).build();
    }

    public static Resources add(Resources a, Resources b) {
        return of(Math.addExact(a.getCpuMillis(), b.getCpuMillis()), Math.addExact(a.getMemoryBytes(), b.getMemoryBytes()));
    }

    public static Resources subtract(Resources a, Resources b) {
        return of(a.getCpuMillis() - b.getCpuMillis(), a.getMemoryBytes() - b.getMemoryBytes());
    }

    /** True when {@code request} fits into {@code free} in every dimension. */
    public static boolean fits(Resources request, Resources free) {
        return request.getCpuMillis() <= free.getCpuMillis() && request.getMemoryBytes() <= free.getMemoryBytes();
    }

    /**
     * A pod's size: the sum of its containers' resources. Init containers run one at a time before
     * the others, so the pod reserves the larger of their biggest and the containers' sum, as Kubernetes does.
     */
    public static Resources podSize(PodSpec spec) {
        Resources sum = ZERO;
        for (ContainerSpec c : spec.getContainersList()) {
            sum = add(sum, c.getResources());
        }
        long cpu = sum.getCpuMillis();
        long mem = sum.getMemoryBytes();
        for (ContainerSpec c : spec.getInitContainersList()) {
            cpu = Math.max(cpu, c.getResources().getCpuMillis());
            mem = Math.max(mem, c.getResources().getMemoryBytes());
        }
        return of(cpu, mem);
    }
}
