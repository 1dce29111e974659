package io.farget.bench;

import java.util.Arrays;

/** Summary statistics of a set of durations in milliseconds. */
public record Samples(int count, double minMs, double medianMs, double p90Ms, double maxMs) {
    public static Samples ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new Samples(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Samples(sorted.length, ms(sorted[0]), ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(sorted[sorted.length - 1]));
    }

    /** Nearest-rank percentile. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
