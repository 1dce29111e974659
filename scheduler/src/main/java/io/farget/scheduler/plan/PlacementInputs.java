package io.farget.scheduler.plan;

import io.farget.common.ResourceMath;
import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.LabelSelector;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import io.farget.placement.model.Spread;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Translates stored pods and nodes into placement's own plain records; placement sees no protos. */
final class PlacementInputs {
    private PlacementInputs() {}

    /** The node with the pods active on it; {@code connected} false makes it not ready whatever it reported. */
    static NodeView node(Node node, List<Pod> active, boolean connected) {
        int gpus = Math.max(0, node.getGpus().getCount());
        return new NodeView(node.getId(), architecture(node.getArch()), node.getLabelsMap(), amounts(node.getCapacity()),
                gpus, gpus == 0 ? "" : node.getGpus().getModel(),
                condition(node, connected), placedOn(active, gpus));
    }

    /** The node's condition for placement; {@code connected} false makes it not ready whatever it reported. */
    static Condition condition(Node node, boolean connected) {
        return connected ? condition(node) : Condition.NOT_READY;
    }

    static PendingPod pod(Pod pod) {
        return pod(pod.getId(), pod.getSpec());
    }

    /** A pod not stored yet (a dry run) under {@code id}. */
    static PendingPod pod(String id, PodSpec spec) {
        return new PendingPod(id, size(spec), gpu(spec), architecture(spec.getArch()), spec.getPriority(),
                spec.getLabelsMap(), selectors(spec.getNodeSelectorList()), new HashSet<>(spec.getGpuModelsList()),
                spec.hasSpread() ? new Spread(spec.getSpread().getLabelKey(), spec.getSpread().getMaxPerHost()) : null,
                selectors(spec.getAntiAffinityList()));
    }

    /**
     * The pods on a node with the GPU devices each holds: as recorded when placed, or (for pods
     * placed before devices were recorded) the devices with most room, so the node's free GPU total stays right.
     */
    private static List<PlacedPod> placedOn(List<Pod> active, int gpuCount) {
        int[] free = new int[gpuCount];
        Arrays.fill(free, GpuRequest.WHOLE);
        List<PlacedPod> out = new ArrayList<>(active.size());
        for (Pod pod : active) {
            GpuRequest gpu = gpu(pod.getSpec());
            int[] devices = recordedDevices(pod, gpu, gpuCount);
            if (devices == null) {
                devices = roomiest(free, gpu.count());
            }
            for (int d : devices) {
                free[d] -= gpu.milliEach();
            }
            out.add(new PlacedPod(pod.getId(), size(pod.getSpec()), gpu, devices, pod.getSpec().getPriority(),
                    pod.getSpec().getLabelsMap()));
        }
        return out;
    }

    /** One pod placed on {@code host} as the model has it now: its recorded devices, or the roomiest ones. */
    static PlacedPod placed(Pod pod, io.farget.placement.engine.Host host) {
        GpuRequest gpu = gpu(pod.getSpec());
        int[] devices = recordedDevices(pod, gpu, host.gpuCount());
        if (devices == null) {
            int[] free = new int[host.gpuCount()];
            for (int d = 0; d < free.length; d++) {
                free[d] = host.gpuFree(d);
            }
            devices = roomiest(free, gpu.count());
        }
        return new PlacedPod(pod.getId(), size(pod.getSpec()), gpu, devices, pod.getSpec().getPriority(),
                pod.getSpec().getLabelsMap());
    }

    private static int[] recordedDevices(Pod pod, GpuRequest gpu, int gpuCount) {
        List<Integer> recorded = pod.getStatus().getGpuDevicesList();
        if (recorded.size() != gpu.count() || recorded.stream().anyMatch(d -> d < 0 || d >= gpuCount)) {
            return gpu.count() == 0 ? new int[0] : null;
        }
        return recorded.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] roomiest(int[] free, int count) {
        Integer[] order = new Integer[free.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(free[b], free[a]));
        int[] out = new int[Math.min(count, order.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out.length == count ? out : new int[count]; // a node that lost GPUs: count them on device 0
    }

    /** CPU, memory, disk and extended resources of a pod: its containers' sum, or its largest init container's. */
    static Amounts size(PodSpec spec) {
        Resources cpuAndMemory = ResourceMath.podSize(spec);
        long disk = 0;
        Map<String, Long> extended = new TreeMap<>();
        for (ContainerSpec c : spec.getContainersList()) {
            disk += c.getResources().getEphemeralStorageBytes();
            c.getResources().getExtendedMap().forEach((k, v) -> extended.merge(k, v, Long::sum));
        }
        for (ContainerSpec c : spec.getInitContainersList()) {
            disk = Math.max(disk, c.getResources().getEphemeralStorageBytes());
            c.getResources().getExtendedMap().forEach((k, v) -> extended.merge(k, v, Math::max));
        }
        return new Amounts(cpuAndMemory.getCpuMillis(), cpuAndMemory.getMemoryBytes(), disk, extended);
    }

    static Amounts amounts(Resources r) {
        return new Amounts(r.getCpuMillis(), r.getMemoryBytes(), r.getEphemeralStorageBytes(), r.getExtendedMap());
    }

    /** A pod's GPUs: the whole ones of its containers summed, or the one share one container asks (validated so). */
    static GpuRequest gpu(PodSpec spec) {
        int whole = 0;
        int share = 0;
        for (ContainerSpec c : spec.getContainersList()) {
            whole += c.getResources().getGpu();
            share = Math.max(share, c.getResources().getGpuMilli());
        }
        if (whole > 0) {
            return GpuRequest.whole(whole);
        }
        return share > 0 ? GpuRequest.share(share) : GpuRequest.NONE;
    }

    private static List<LabelSelector> selectors(List<io.farget.proto.v1.LabelSelector> selectors) {
        return selectors.stream().map(s -> new LabelSelector(s.getKey(), operator(s.getOperator()), new HashSet<>(s.getValuesList())))
                .toList();
    }

    private static LabelSelector.Operator operator(io.farget.proto.v1.LabelSelector.Operator op) {
        return switch (op) {
            case OPERATOR_NOT_IN -> LabelSelector.Operator.NOT_IN;
            case OPERATOR_EXISTS -> LabelSelector.Operator.EXISTS;
            case OPERATOR_DOES_NOT_EXIST -> LabelSelector.Operator.DOES_NOT_EXIST;
            default -> LabelSelector.Operator.IN;
        };
    }

    /** A cordoned node that is otherwise ready takes no new pods (`farget nodes cordon`). */
    static Condition condition(Node node) {
        if (node.getCordoned() && node.getState() == NodeState.NODE_STATE_READY) {
            return Condition.CORDONED;
        }
        return condition(node.getState());
    }

    static Condition condition(NodeState state) {
        return switch (state) {
            case NODE_STATE_READY -> Condition.READY;
            case NODE_STATE_DRAINING -> Condition.DRAINING;
            default -> Condition.NOT_READY;
        };
    }

    static Architecture architecture(Arch arch) {
        return switch (arch) {
            case ARCH_X86_64 -> Architecture.X86_64;
            case ARCH_AARCH64 -> Architecture.AARCH64;
            case ARCH_ANY, ARCH_UNSPECIFIED, UNRECOGNIZED -> Architecture.ANY;
        };
    }
}
