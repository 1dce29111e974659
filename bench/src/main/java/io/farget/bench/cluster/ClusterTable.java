package io.farget.bench.cluster;

import java.util.Locale;

/** The results of a run as a two-column table. */
final class ClusterTable {
    private ClusterTable() {}

    static String render(ClusterResult r) {
        StringBuilder out = new StringBuilder();
        row(out, "agents / pods / schedulers / clients", r.agents() + " / " + r.pods() + " / " + r.schedulers() + " / " + r.clients());
        row(out, "pods", r.traceSecondsPerSecond() > 0
                ? fmt("a trace replayed, %.0f trace seconds per second", r.traceSecondsPerSecond()) : "the synthetic mix");
        row(out, "pods per create call", r.batch() == 1 ? "1 (CreatePod)" : r.batch() + " (CreatePods)");
        row(out, "offered rate", r.traceSecondsPerSecond() > 0 ? "the trace's arrivals"
                : r.offeredRate() > 0 ? fmt("%.0f pods/s", r.offeredRate()) : "unlimited");
        row(out, "warm-up pods (run before, not counted)", Integer.toString(r.warmupPods()));
        if (r.warmupPods() > 0) {
            row(out, "then waited for the JIT compilers", fmt("%.1f s", r.jitSettleSeconds()));
        }
        row(out, "sustained", fmt("%.0f pods/s over %.1f s", r.podsPerSecond(), r.elapsedSeconds()));
        row(out, "submit -> RUNNING p50 / p99 / max", fmt("%.0f / %.0f / %.0f ms", r.p50Ms(), r.p99Ms(), r.maxMs()));
        row(out, "lost / stuck / duplicated", r.lost() + " / " + r.stuck() + " / " + r.duplicated());
        row(out, "client retries", Long.toString(r.retries()));
        row(out, "leader killed", Boolean.toString(r.leaderKilled()));
        row(out, "scheduler heap peak / live after GC", mib(r.schedulerPeakHeapBytes()) + " / " + mib(r.schedulerLiveHeapBytes()));
        row(out, "scheduler RSS peak", mib(r.schedulerPeakRssBytes()));
        row(out, "ZooKeeper writes", fmt("%.0f transactions/s", r.zookeeperWritesPerSecond()));
        row(out, "CPU: scheduler / ZooKeeper / agents+clients", fmt("%s / %s / %s s", cpu(r.schedulerCpuSeconds()),
                cpu(r.zookeeperCpuSeconds()), cpu(r.agentsAndClientsCpuSeconds())));
        row(out, "JIT compiling: scheduler / benchmark JVM", fmt("%s / %s s", cpu(r.schedulerJitSeconds()), cpu(r.benchJitSeconds())));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-46s %s%n", name, value));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : fmt("%.0f MiB", bytes / 1048576.0);
    }

    private static String cpu(double seconds) {
        return seconds < 0 ? "n/a" : fmt("%.1f", seconds);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
