package io.farget.placement.scoring;

import io.farget.placement.model.GpuRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A {@link WorkloadProfile} compiled into flat arrays, so that a host's GPU fragmentation is a tight
 * loop with no allocation, hashing or boxing: it runs for every host a pod could go to.
 *
 * <p>Pod types are grouped by their GPU request (a "class": e.g. 1 x 500 milli, 2 whole GPUs): whether
 * the GPUs fit and which slices are too small depend only on the class, so they are worked out once
 * per class; each type then only adds its CPU and memory check. GPU models are numbered, and each
 * model keeps the list of types it may serve.
 */
final class FragmentationTable {
    private final Map<String, Integer> modelIds = new LinkedHashMap<>();
    /** Per class: GPUs each and milli each. */
    private final int[] classCount;
    private final int[] classMilli;
    /** Per type: its class, CPU and memory request, and share of arrivals. */
    private final int[] typeClass;
    private final long[] typeCpu;
    private final long[] typeMemory;
    private final double[] typeWeight;
    /** Per model id: the types that model may run; the last id is "any other model". */
    private final int[][] typesFor;
    /** Per model id: the share of arrivals that may not use it: to them all its free GPU is a fragment (FGD's "no access"). */
    private final double[] noAccessWeight;
    // Scratch for one evaluation: the table belongs to one pass, which runs on one thread.
    private final boolean[] fits;
    private final long[] fragment;
    private final int[] classesByMilli;
    private int[] sortedFree = new int[16];
    // A direct-mapped cache of computed values (a newer value simply takes the slot): bounded, no boxing.
    private static final int MEMO_SLOTS = 1 << 14;
    private static final int MEMO_KEY = 5; // free CPU, free memory, sorted free GPU milli (two words), model
    private final long[] memoKeys = new long[MEMO_SLOTS * MEMO_KEY];
    private final double[] memoValues = new double[MEMO_SLOTS];
    private final boolean[] memoFilled = new boolean[MEMO_SLOTS];

    FragmentationTable(WorkloadProfile profile) {
        Map<GpuRequest, Integer> classes = new LinkedHashMap<>();
        List<WorkloadProfile.PodType> types = profile.types();
        for (WorkloadProfile.PodType type : types) {
            classes.putIfAbsent(type.gpu(), classes.size());
            for (String model : type.gpuModels()) {
                modelIds.putIfAbsent(model, modelIds.size());
            }
        }
        classCount = new int[classes.size()];
        classMilli = new int[classes.size()];
        classes.forEach((gpu, id) -> {
            classCount[id] = gpu.count();
            classMilli[id] = gpu.milliEach();
        });
        int n = types.size();
        typeClass = new int[n];
        typeCpu = new long[n];
        typeMemory = new long[n];
        typeWeight = new double[n];
        List<String> names = new ArrayList<>(modelIds.keySet()); // insertion order = id order
        List<List<Integer>> lists = new ArrayList<>();
        for (int m = 0; m <= modelIds.size(); m++) {
            lists.add(new ArrayList<>());
        }
        for (int t = 0; t < n; t++) {
            WorkloadProfile.PodType type = types.get(t);
            typeClass[t] = classes.get(type.gpu());
            typeCpu[t] = type.cpuMillis();
            typeMemory[t] = type.memoryBytes();
            typeWeight[t] = type.weight();
            for (int m = 0; m <= modelIds.size(); m++) {
                if (type.gpuModels().isEmpty() || (m < modelIds.size() && type.gpuModels().contains(names.get(m)))) {
                    lists.get(m).add(t);
                }
            }
        }
        typesFor = lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        noAccessWeight = new double[typesFor.length];
        for (int m = 0; m < typesFor.length; m++) {
            noAccessWeight[m] = Arrays.stream(typeWeight).sum();
            for (int t : typesFor[m]) {
                noAccessWeight[m] -= typeWeight[t];
            }
        }
        classesByMilli = IntStream.range(0, classCount.length).boxed()
                .sorted(Comparator.comparingInt(c -> classMilli[c])).mapToInt(Integer::intValue).toArray();
        fits = new boolean[classCount.length];
        fragment = new long[classCount.length];
    }

    boolean isEmpty() {
        return typeClass.length == 0;
    }

    /** The id {@link #fragmentation} takes for a host of GPU model {@code model}. */
    int modelId(String model) {
        return modelIds.getOrDefault(model, modelIds.size());
    }

    /**
     * Expected free GPU milli that the next pod of the profile could not use on a host with this much
     * free: all of it when the pod does not fit at all, otherwise the devices with less free than its
     * share. {@code gpuFree} holds {@code devices} entries.
     */
    double fragmentation(long freeCpu, long freeMemory, int modelId, int[] gpuFree, int devices) {
        int[] sorted = sortedFree.length >= devices ? sortedFree : (sortedFree = new int[devices]);
        long total = 0;
        int whole = 0;
        for (int d = 0; d < devices; d++) { // insertion sort: a host has a handful of devices
            int f = gpuFree[d];
            total += f;
            if (f == GpuRequest.WHOLE) {
                whole++;
            }
            int at = d;
            while (at > 0 && sorted[at - 1] > f) {
                sorted[at] = sorted[at - 1];
                at--;
            }
            sorted[at] = f;
        }
        if (total == 0) {
            return 0;
        }
        // Hosts often stand in the same state (same kind, same pods): look the value up before working it out.
        long packed = 0;
        long packedHigh = 0;
        boolean memoable = devices <= 12;
        if (memoable) {
            for (int i = 0; i < devices; i++) {
                if (i < 6) {
                    packed |= (long) sorted[i] << (10 * i);
                } else {
                    packedHigh |= (long) sorted[i] << (10 * (i - 6));
                }
            }
            packedHigh |= (long) devices << 60;
            int slot = memoSlot(freeCpu, freeMemory, modelId, packed, packedHigh);
            int at = slot * MEMO_KEY;
            if (memoFilled[slot] && memoKeys[at] == freeCpu && memoKeys[at + 1] == freeMemory
                    && memoKeys[at + 2] == packed && memoKeys[at + 3] == packedHigh && memoKeys[at + 4] == modelId) {
                return memoValues[slot];
            }
            double value = compute(freeCpu, freeMemory, modelId, sorted, devices, total, whole);
            memoFilled[slot] = true;
            memoKeys[at] = freeCpu;
            memoKeys[at + 1] = freeMemory;
            memoKeys[at + 2] = packed;
            memoKeys[at + 3] = packedHigh;
            memoKeys[at + 4] = modelId;
            memoValues[slot] = value;
            return value;
        }
        return compute(freeCpu, freeMemory, modelId, sorted, devices, total, whole);
    }

    private static int memoSlot(long cpu, long memory, int model, long packed, long packedHigh) {
        long h = cpu * 0x9E3779B97F4A7C15L + memory;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + packed;
        h = (h ^ (h >>> 31)) * 0x94D049BB133111EBL + packedHigh + model;
        h ^= h >>> 32;
        return (int) h & (MEMO_SLOTS - 1);
    }

    private double compute(long freeCpu, long freeMemory, int modelId, int[] sorted, int devices, long total, int whole) {
        int max = devices == 0 ? 0 : sorted[devices - 1];
        // Classes in rising share: one sweep over the sorted devices sums the slices smaller than each share.
        int d = 0;
        long small = 0;
        for (int c : classesByMilli) {
            int milli = classMilli[c];
            while (d < devices && sorted[d] < milli) {
                small += sorted[d++];
            }
            fragment[c] = small;
            fits[c] = milli < GpuRequest.WHOLE ? max >= milli : whole >= classCount[c];
        }
        double expected = noAccessWeight[modelId] * total;
        for (int t : typesFor[modelId]) {
            int c = typeClass[t];
            boolean fit = fits[c] && typeCpu[t] <= freeCpu && typeMemory[t] <= freeMemory;
            expected += typeWeight[t] * (fit ? fragment[c] : total);
        }
        return expected;
    }
}
