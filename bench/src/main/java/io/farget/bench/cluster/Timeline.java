package io.farget.bench.cluster;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every pod of a run as one CSV row, in due order: when it was due (ms after the run started),
 * and how long after that its create call was answered and it was first seen RUNNING (empty when
 * it never was). A p99 says how bad the tail is; this says when it happened, so a stall can be
 * lined up against a GC log or a profile. The first line gives the run's start as wall-clock
 * epoch milliseconds, the clock GC logs ({@code -Xlog:gc:file=F:time}) print.
 */
final class Timeline {
    private Timeline() {}

    static void write(Path file, long startNanos, PodLoad load, RunningWatch watch) {
        long startEpochMillis = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        List<Map.Entry<String, Long>> pods = new ArrayList<>(load.submittedAt().entrySet());
        pods.sort(Map.Entry.comparingByValue());
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("# start_epoch_ms=" + startEpochMillis + "\n");
            out.write("pod,due_ms,acknowledged_after_ms,running_after_ms\n");
            for (Map.Entry<String, Long> pod : pods) {
                long due = pod.getValue();
                out.write(pod.getKey() + "," + millis(due - startNanos) + "," + after(due, load.acknowledgedAt().get(pod.getKey()))
                        + "," + after(due, watch.runningAt().get(pod.getKey())) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the timeline to " + file, e);
        }
    }

    private static String after(long due, Long at) {
        return at == null ? "" : millis(at - due);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
