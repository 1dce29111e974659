package io.farget.sandbox;

import java.util.Locale;

/**
 * Where one pod's start spent its time, stage by stage, on the monotonic clock: for one DEBUG line
 * such as {@code images 0.0, prepare 1.9, containers 71.3 (total 73.4 ms)}. One start, one thread.
 */
final class StartStages {
    private final long began;
    private long last;
    private final StringBuilder stages = new StringBuilder();

    StartStages() {
        this(System.nanoTime());
    }

    StartStages(long beganNanos) {
        this.began = beganNanos;
        this.last = beganNanos;
    }

    /** The stage that ends now took the time since the previous one ended. */
    void ended(String stage) {
        ended(stage, System.nanoTime());
    }

    void ended(String stage, long nowNanos) {
        if (!stages.isEmpty()) {
            stages.append(", ");
        }
        stages.append(stage).append(' ').append(millis(nowNanos - last));
        last = nowNanos;
    }

    long totalMillis() {
        return (last - began) / 1_000_000;
    }

    @Override
    public String toString() {
        return stages + " (total " + millis(last - began) + " ms)";
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
