package io.farget.placement.engine;

import io.farget.placement.model.GpuRequest;

/** Which GPU devices a request takes on a host: whole ones first-free, a share on the tightest device it fits. */
final class Gpus {
    private static final int[] NONE = new int[0];

    private Gpus() {}

    static boolean fits(GpuRequest request, int wholeFree, int maxFree) {
        if (request.none()) {
            return true;
        }
        return request.fractional() ? maxFree >= request.milliEach() : wholeFree >= request.count();
    }

    /** The devices chosen from {@code free}, or null when the request does not fit. */
    static int[] choose(GpuRequest request, int[] free) {
        if (request.none()) {
            return NONE;
        }
        if (request.fractional()) {
            int best = -1;
            for (int d = 0; d < free.length; d++) {
                if (free[d] >= request.milliEach() && (best < 0 || free[d] < free[best])) {
                    best = d;
                }
            }
            return best < 0 ? null : new int[] {best};
        }
        int[] chosen = new int[request.count()];
        int n = 0;
        for (int d = 0; d < free.length && n < chosen.length; d++) {
            if (free[d] == GpuRequest.WHOLE) {
                chosen[n++] = d;
            }
        }
        return n == chosen.length ? chosen : null;
    }

    /**
     * Every materially different device choice for {@code request}: for a share, one device per
     * distinct free amount that fits (devices with equal free milli are interchangeable), tightest
     * first; whole GPUs are interchangeable, so one choice. Empty when it does not fit. Lets a
     * scorer pick the device as well as the host, as FGD does.
     */
    static int[][] options(GpuRequest request, int[] free) {
        if (!request.fractional()) {
            int[] one = choose(request, free);
            return one == null ? new int[0][] : new int[][] {one};
        }
        // One option per distinct free amount (devices with equal free milli are interchangeable),
        // tightest first. A host has a handful of devices: a quadratic scan beats any allocation.
        int[] chosen = new int[free.length];
        int distinct = 0;
        for (int d = 0; d < free.length; d++) {
            if (free[d] < request.milliEach()) {
                continue;
            }
            boolean seen = false;
            for (int i = 0; i < distinct && !seen; i++) {
                seen = free[chosen[i]] == free[d];
            }
            if (!seen) {
                int at = distinct++;
                while (at > 0 && free[chosen[at - 1]] > free[d]) { // insertion sort by free amount
                    chosen[at] = chosen[at - 1];
                    at--;
                }
                chosen[at] = d;
            }
        }
        int[][] out = new int[distinct][];
        for (int i = 0; i < distinct; i++) {
            out[i] = new int[] {chosen[i]};
        }
        return out;
    }
}
