package io.farget.placement.scoring;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Fragmentation gradient (Weng et al., ATC '23, "FGD"): a host's GPU fragmentation is the expected
 * free GPU milli that the next pod, drawn from the workload profile, could not use there (all of it
 * when the pod does not fit at all; otherwise the devices with less free than its share). The best
 * host is the one whose fragmentation grows least with the pod placed. Scores are bounded:
 * 0.5 minus the growth over {@value #SCALE} milli.
 *
 * <p>A pass instance keeps each host's current fragmentation, stamped with the host's version, so
 * scoring a host costs one evaluation (the host with the pod), not two. It serves the next pass over
 * the same model too ({@link #nextPass}) while the profile stands still: always when the profile is
 * fixed; when learned, while the pods seen make an equal profile. What the placed GPU pods add to a
 * learned profile is counted again only when they changed ({@link ClusterModel#gpuPodsVersion()}).
 */
public final class FragmentationScorer implements Scorer {
    private static final double SCALE = 16_000;

    private final WorkloadProfile fixed;
    private final FragmentationTable table;
    // Of a pass instance: its model, the profile its table was compiled from, and (when learned)
    // the placed GPU pods counted, as of a version of the model.
    private final ClusterModel model;
    private final WorkloadProfile profile;
    private PlacedGpuPods placed;
    // Per host, for the passes it serves: fragmentation now and the host version it was computed at; model ids.
    private final double[] current;
    private final int[] currentVersion;
    private final int[] modelIds;
    private final int[] scratch;

    private record PlacedGpuPods(long version, ArrivalCounts counts) {
        static PlacedGpuPods of(ClusterModel model) {
            ArrivalCounts counts = new ArrivalCounts();
            for (Host host : model.hosts()) {
                for (PlacedPod p : host.pods()) {
                    if (!p.gpu().none()) {
                        counts.add(p.amounts().cpuMillis(), p.amounts().memoryBytes(), p.gpu(), Set.of());
                    }
                }
            }
            return new PlacedGpuPods(model.gpuPodsVersion(), counts);
        }
    }

    /** With {@code profile} null, each pass learns it from the pods it sees (placed and pending). */
    public FragmentationScorer(WorkloadProfile profile) {
        this(profile, profile == null ? null : new FragmentationTable(profile), null, profile, null);
    }

    private FragmentationScorer(WorkloadProfile fixed, FragmentationTable table, ClusterModel model, WorkloadProfile profile,
                                PlacedGpuPods placed) {
        this.fixed = fixed;
        this.table = table;
        this.model = model;
        this.profile = profile;
        this.placed = placed;
        int hosts = model == null ? 0 : model.size();
        this.current = new double[hosts];
        this.currentVersion = new int[hosts];
        this.modelIds = new int[hosts];
        Arrays.fill(currentVersion, -1);
        Arrays.fill(modelIds, -1);
        this.scratch = new int[64];
    }

    @Override
    public String name() {
        return "fragmentation";
    }

    @Override
    public boolean stateOnly() {
        return true;
    }

    @Override
    public Scorer forPass(ClusterModel model, List<PendingPod> batch) {
        return nextPass(model, batch, null);
    }

    @Override
    public Scorer nextPass(ClusterModel model, List<PendingPod> batch, Scorer previous) {
        FragmentationScorer before = previous instanceof FragmentationScorer f && f.model == model && f.fixed == fixed ? f : null;
        if (fixed != null) {
            return before != null ? before : new FragmentationScorer(fixed, table, model, fixed, null);
        }
        PlacedGpuPods nowPlaced = before != null && before.placed.version() == model.gpuPodsVersion()
                ? before.placed : PlacedGpuPods.of(model);
        ArrivalCounts seen = new ArrivalCounts();
        batch.forEach(seen::add);
        seen.addAll(nowPlaced.counts());
        WorkloadProfile learned = seen.profile();
        if (before != null && learned.equals(before.profile)) {
            before.placed = nowPlaced;
            return before; // an equal profile compiles to an equal table: same scores
        }
        return new FragmentationScorer(null, new FragmentationTable(learned), model, learned, nowPlaced);
    }

    @Override
    public double score(Host host, PendingPod pod, int[] devices) {
        if (table == null || table.isEmpty() || host.gpuCount() == 0) {
            return 0.5;
        }
        int n = host.gpuCount();
        int[] after = n <= scratch.length ? scratch : new int[n];
        for (int d = 0; d < n; d++) {
            after[d] = host.gpuFree(d);
        }
        int model = modelId(host);
        double before = current(host, model, after, n);
        for (int d : devices) {
            after[d] -= pod.gpu().milliEach();
        }
        double growth = table.fragmentation(host.freeCpuMillis() - pod.cpuMillis(), host.freeMemoryBytes() - pod.memoryBytes(),
                model, after, n) - before;
        return Math.max(0, Math.min(1, 0.5 - growth / SCALE));
    }

    /** The host's fragmentation as it stands ({@code free} holds its free milli per device). */
    private double current(Host host, int model, int[] free, int devices) {
        int i = host.index();
        if (i < current.length && currentVersion[i] == host.version()) {
            return current[i];
        }
        double value = table.fragmentation(host.freeCpuMillis(), host.freeMemoryBytes(), model, free, devices);
        if (i < current.length) {
            current[i] = value;
            currentVersion[i] = host.version();
        }
        return value;
    }

    private int modelId(Host host) {
        int i = host.index();
        if (i >= modelIds.length) {
            return table.modelId(host.gpuModel());
        }
        if (modelIds[i] < 0) {
            modelIds[i] = table.modelId(host.gpuModel());
        }
        return modelIds[i];
    }
}
