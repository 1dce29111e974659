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
}
