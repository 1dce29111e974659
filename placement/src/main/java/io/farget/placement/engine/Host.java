package io.farget.placement.engine;

import io.farget.placement.model.Amounts;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.Condition;
import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.NodeView;
import io.farget.placement.model.PlacedPod;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node's working state during placement: what is free in every dimension, per GPU device, and
 * the pods on it. Scorers read it; only {@link ClusterModel} changes it, so the indexes stay true.
 */
public final class Host {
    final int index;
    private final NodeView node;
    private final long tiebreak;
    // The node's condition as it is now: it changes in place (a node going silent and coming back)
    // where any other fact of the node makes its model build again.
    private Condition condition;
    private long freeCpu;
    private long freeMemory;
    private long freeDisk;
    private final Map<String, Long> freeExtended;
    private final int[] gpuFree;
    private int wholeFreeGpus;
    private int maxGpuFree;
    private long freeGpuTotal;
    private final LinkedHashMap<String, PlacedPod> pods = new LinkedHashMap<>();
    // Bumped on every change of what is free: lets per-pass caches know when a value they hold went stale.
    private int version;
    // Where the host sits in each of the index's two bucket arrays (by free CPU, by free GPU), kept by Buckets.
    final int[] bucket = {-1, -1};
    final int[] slot = new int[2];

    Host(int index, NodeView node, long tiebreak) {
        this.index = index;
        this.node = node;
        this.tiebreak = tiebreak;
        this.condition = node.condition();
        Amounts cap = node.capacity();
        this.freeCpu = cap.cpuMillis();
        this.freeMemory = cap.memoryBytes();
        this.freeDisk = cap.diskBytes();
        this.freeExtended = cap.extended().isEmpty() ? Map.of() : new HashMap<>(cap.extended());
        this.gpuFree = new int[node.gpuCount()];
        java.util.Arrays.fill(gpuFree, GpuRequest.WHOLE);
        refreshGpuSummary();
        for (PlacedPod pod : node.pods()) {
            add(pod);
        }
    }

    public String id() { return node.id(); }
    public Architecture arch() { return node.arch(); }
    public Map<String, String> labels() { return node.labels(); }
    public String gpuModel() { return node.gpuModel(); }
    public Condition condition() { return condition; }
    public Amounts capacity() { return node.capacity(); }
    public int gpuCount() { return gpuFree.length; }
    public long freeCpuMillis() { return freeCpu; }
    public long freeMemoryBytes() { return freeMemory; }
    public long freeDiskBytes() { return freeDisk; }
    public long freeExtended(String name) { return freeExtended.getOrDefault(name, 0L); }
    public int gpuFree(int device) { return gpuFree[device]; }
    public int wholeFreeGpus() { return wholeFreeGpus; }
    public int maxGpuFree() { return maxGpuFree; }
    public Collection<PlacedPod> pods() { return pods.values(); }
    /** A seeded pseudo-random number fixed per host: the last word in a tie, so plans are reproducible. */
    public long tiebreak() { return tiebreak; }
    /** Position in its {@link ClusterModel}, 0..size-1: lets per-pass caches keep plain arrays by host. */
    public int index() { return index; }
    /** Changes whenever what is free on the host changes. */
    public int version() { return version; }

    public long freeGpuMilli() {
        return freeGpuTotal;
    }

    /** The node as it stands now, for a snapshot. */
    public NodeView view() {
        return new NodeView(node.id(), node.arch(), node.labels(), node.capacity(), node.gpuCount(), node.gpuModel(),
                condition, pods.values().stream().toList());
    }

    /** Sets the condition; true when it changed. Only {@link ClusterModel} calls it, so the indexes hear of it. */
    boolean condition(Condition now) {
        if (now == condition) {
            return false;
        }
        condition = now;
        version++;
        return true;
    }

    boolean has(String podId) {
        return pods.containsKey(podId);
    }

    void add(PlacedPod pod) {
        if (pods.putIfAbsent(pod.id(), pod) != null) {
            throw new IllegalStateException("pod " + pod.id() + " is already on " + id());
        }
        adjust(pod, -1);
    }

    PlacedPod remove(String podId) {
        PlacedPod pod = pods.remove(podId);
        if (pod != null) {
            adjust(pod, +1);
        }
        return pod;
    }

    private void adjust(PlacedPod pod, int sign) {
        Amounts a = pod.amounts();
        freeCpu += sign * a.cpuMillis();
        freeMemory += sign * a.memoryBytes();
        freeDisk += sign * a.diskBytes();
        for (Map.Entry<String, Long> e : a.extended().entrySet()) {
            freeExtended.merge(e.getKey(), sign * e.getValue(), Long::sum);
        }
        for (int device : pod.gpuDevices()) {
            gpuFree[device] += sign * pod.gpu().milliEach();
        }
        refreshGpuSummary();
        version++;
    }

    private void refreshGpuSummary() {
        int whole = 0;
        int max = 0;
        long total = 0;
        for (int f : gpuFree) {
            if (f == GpuRequest.WHOLE) {
                whole++;
            }
            max = Math.max(max, f);
            total += f;
        }
        wholeFreeGpus = whole;
        maxGpuFree = max;
        freeGpuTotal = total;
    }

    /** The per-device free milli itself: callers only read it. */
    int[] gpuFreeView() {
        return gpuFree;
    }

    /** What is free of each extended resource: callers only read it. */
    Map<String, Long> freeExtendedView() {
        return freeExtended;
    }

    /** A copy of the per-device free milli, for what-if arithmetic. */
    int[] gpuFreeCopy() {
        return gpuFree.clone();
    }
}
