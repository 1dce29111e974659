package io.farget.placement.engine;

import io.farget.placement.model.GpuRequest;
import io.farget.placement.model.PendingPod;
import java.util.Arrays;
import java.util.List;

/**
 * Rates one feasible host for one pod with a pass's weighted scorers: the weighted sum for the best
 * GPU device choice on that host (a share may go on any device with room, and devices with the same
 * free milli are interchangeable, so one choice per distinct free amount, tightest first; whole GPUs
 * are interchangeable, so one choice). Reuses its buffers: no allocation per host, one owner thread.
 */
final class HostRater {
    private static final int[] NO_DEVICES = new int[0];

    private final Scorer[] scorers;
    private final double[] weights;
    private final boolean stateOnly;
    private final int[] share = new int[1];
    private int[][] wholeBuffers = new int[9][];

    HostRater(List<Weighted> weighted) {
        scorers = new Scorer[weighted.size()];
        weights = new double[weighted.size()];
        boolean all = true;
        for (int i = 0; i < scorers.length; i++) {
            scorers[i] = weighted.get(i).scorer();
            weights[i] = weighted.get(i).weight();
            all &= scorers[i].stateOnly();
        }
        stateOnly = all;
    }

    /** Whether every scorer depends only on host state and pod requests (see {@link Scorer#stateOnly()}). */
    boolean stateOnly() {
        return stateOnly;
    }

    /** The best weighted score over the device choices on {@code host}; the host must fit the pod. */
    double rate(Host host, PendingPod pod) {
        GpuRequest gpu = pod.gpu();
        if (!gpu.fractional()) {
            return sum(host, pod, gpu.none() ? NO_DEVICES : wholeDevices(host, gpu.count()));
        }
        double best = Double.NEGATIVE_INFINITY;
        int previous = gpu.milliEach() - 1;
        for (int device = nextShareDevice(host, previous); device >= 0; device = nextShareDevice(host, previous)) {
            share[0] = device;
            best = Math.max(best, sum(host, pod, share));
            previous = host.gpuFree(device);
        }
        return best;
    }

    /** The devices of the best choice on {@code host} (a fresh array the caller may keep); null when the pod does not fit. */
    int[] devices(Host host, PendingPod pod) {
        GpuRequest gpu = pod.gpu();
        if (!gpu.fractional()) {
            return gpu.none() ? NO_DEVICES : Gpus.choose(gpu, host.gpuFreeView());
        }
        double best = Double.NEGATIVE_INFINITY;
        int chosen = -1;
        int previous = gpu.milliEach() - 1;
        for (int device = nextShareDevice(host, previous); device >= 0; device = nextShareDevice(host, previous)) {
            share[0] = device;
            double score = sum(host, pod, share);
            if (score > best) { // strictly better: the tightest of equally good devices wins
                best = score;
                chosen = device;
            }
            previous = host.gpuFree(device);
        }
        return chosen < 0 ? null : new int[] {chosen};
    }

    private double sum(Host host, PendingPod pod, int[] devices) {
        double total = 0;
        for (int i = 0; i < scorers.length; i++) {
            total += weights[i] * scorers[i].score(host, pod, devices);
        }
        return total;
    }

    /** The lowest-numbered device with the least free milli above {@code above}, or -1. */
    private static int nextShareDevice(Host host, int above) {
        int best = -1;
        for (int d = 0, n = host.gpuCount(); d < n; d++) {
            int free = host.gpuFree(d);
            if (free > above && (best < 0 || free < host.gpuFree(best))) {
                best = d;
            }
        }
        return best;
    }

    /** The first {@code count} whole free devices, in a reused buffer (the host fits, so there are enough). */
    private int[] wholeDevices(Host host, int count) {
        if (count >= wholeBuffers.length) {
            wholeBuffers = Arrays.copyOf(wholeBuffers, count + 1);
        }
        int[] out = wholeBuffers[count];
        if (out == null) {
            out = wholeBuffers[count] = new int[count];
        }
        int n = 0;
        for (int d = 0, devices = host.gpuCount(); d < devices && n < count; d++) {
            if (host.gpuFree(d) == GpuRequest.WHOLE) {
                out[n++] = d;
            }
        }
        return out;
    }
}
