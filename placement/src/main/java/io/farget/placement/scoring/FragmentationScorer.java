package io.farget.placement.scoring;

import io.farget.placement.engine.ClusterModel;
import io.farget.placement.engine.Host;
import io.farget.placement.engine.Scorer;
import io.farget.placement.model.Architecture;
import io.farget.placement.model.PendingPod;
import io.farget.placement.model.PlacedPod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fragmentation gradient (Weng et al., ATC '23, "FGD"): a host's GPU fragmentation is the expected
 * free GPU milli that the next pod, drawn from the workload profile, could not use there (all of it
 * when the pod does not fit at all; otherwise the devices with less free than its share). The best
 * host is the one whose fragmentation grows least with the pod placed. Scores are bounded:
 * 0.5 minus the growth over {@value #SCALE} milli.
 *
 * <p>A pass instance keeps each host's current fragmentation, stamped with the host's version, so
 * scoring a host costs one evaluation (the host with the pod), not two.
 */
public final class FragmentationScorer implements Scorer {
    private static final double SCALE = 16_000;

    private final WorkloadProfile fixed;
    private final FragmentationTable table;
    // Per host, for one pass: fragmentation now and the host version it was computed at; model ids.
    private final double[] current;
    private final int[] currentVersion;
    private final int[] modelIds;
    private final int[] scratch;

    /** With {@code profile} null, each pass learns it from the pods it sees (placed and pending). */
    public FragmentationScorer(WorkloadProfile profile) {
        this(profile, profile == null ? null : new FragmentationTable(profile), 0);
    }

    private FragmentationScorer(WorkloadProfile fixed, FragmentationTable table, int hosts) {
        this.fixed = fixed;
        this.table = table;
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
        WorkloadProfile profile = fixed;
        if (profile == null) {
            List<PendingPod> seen = new ArrayList<>(batch);
            for (Host host : model.hosts()) {
                for (PlacedPod p : host.pods()) {
                    if (!p.gpu().none()) {
                        seen.add(new PendingPod(p.id(), p.amounts(), p.gpu(), Architecture.ANY,
                                0, Map.of(), List.of(), Set.of(), null, List.of()));
                    }
                }
            }
            profile = WorkloadProfile.of(seen);
        }
        FragmentationTable passTable = profile == fixed && table != null ? table : new FragmentationTable(profile);
        return new FragmentationScorer(fixed, passTable, model.size());
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
