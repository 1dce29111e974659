package io.farget.scheduler.metering;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.Recommendation;
import io.farget.proto.v1.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Right-sizing, pure: for each pod (or the pods sharing a label value), the size it asked for next
 * to its observed p95 CPU and peak memory, a size that fits what it did with some headroom, and
 * what the change saves a month at the rate card. A pod that was throttled (p95 at its CPU limit)
 * or OOM-killed is told to grow instead. Memory is suggested from the kernel's high-water mark, not
 * the sampled working set: the limit must hold start-up spikes and page cache between samples, or the
 * smaller size would OOM-kill the pod.
 */
public final class Recommender {
    static final double CPU_HEADROOM = 1.2;
    static final double MEMORY_HEADROOM = 1.25;
    static final long CPU_STEP_MILLIS = 50;
    static final long MEMORY_STEP_BYTES = 16L << 20;
    /** p95 in the band at or above 95 % of the reserved CPU: the quota held it back. */
    static final int THROTTLED_BAND = 19;
    static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    /** Less observed time than this says too little to advise on. */
    static final long MIN_OBSERVED_MILLIS = 20_000;

    private Recommender() {}

    /** One recommendation per pod, or per value of {@code labelKey} when it is set. */
    public static List<Recommendation> recommend(Collection<LedgerEntry> entries, String labelKey, RateCard rates) {
        Map<String, List<LedgerEntry>> groups = new TreeMap<>();
        for (LedgerEntry e : entries) {
            if (labelKey == null) {
                groups.computeIfAbsent(e.getPodId(), k -> new ArrayList<>()).add(e);
            } else if (e.getLabelsMap().containsKey(labelKey)) {
                groups.computeIfAbsent(labelKey + "=" + e.getLabelsMap().get(labelKey), k -> new ArrayList<>()).add(e);
            }
        }
        List<Recommendation> out = new ArrayList<>();
        groups.forEach((key, group) -> out.add(recommend(key, group, rates)));
        return out;
    }

    static Recommendation recommend(String key, List<LedgerEntry> group, RateCard rates) {
        LedgerEntry latest = group.stream().max(Comparator.comparing(e -> e.getStartedAt().getSeconds())).orElseThrow();
        Resources requested = latest.getReserved();
        long[] load = new long[LedgerMath.LOAD_BANDS];
        long peak = 0;
        long highWater = 0;
        boolean oom = false;
        for (LedgerEntry e : group) {
            for (int i = 0; i < e.getCpuLoadMillisCount(); i++) {
                load[i] += e.getCpuLoadMillis(i);
            }
            peak = Math.max(peak, e.getUsage().getPeakMemoryBytes());
            highWater = Math.max(highWater, Math.max(e.getUsage().getMemoryHighWaterBytes(), e.getUsage().getPeakMemoryBytes()));
            oom |= "OOMKilled".equals(e.getEndReason());
        }
        int p95Band = percentileBand(load, 0.95);
        long observed = java.util.Arrays.stream(load).sum();
        long p95Cpu = Math.round(requested.getCpuMillis() * (p95Band + 1) * 0.05);
        boolean throttled = observed > 0 && p95Band >= THROTTLED_BAND;
        Recommendation.Builder r = Recommendation.newBuilder()
                .setKey(key)
                .setPods((int) group.stream().map(LedgerEntry::getPodId).distinct().count())
                .setRequested(requested)
                .setP95CpuMillis(p95Cpu)
                .setPeakMemoryBytes(peak)
                .setMemoryHighWaterBytes(highWater)
                .setThrottled(throttled)
                .setOomKilled(oom);
        if (observed < MIN_OBSERVED_MILLIS && !oom) {
            return r.setSuggested(requested).setMonthlySaving("0").setReason("too little observed yet").build();
        }
        long cpu = throttled
                ? requested.getCpuMillis() * 2
                : Math.min(requested.getCpuMillis(), roundUp(Math.max(CPU_STEP_MILLIS, (long) Math.ceil(p95Cpu * CPU_HEADROOM)), CPU_STEP_MILLIS));
        long memory = oom
                ? requested.getMemoryBytes() * 2
                : Math.min(requested.getMemoryBytes(), roundUp(Math.max(MEMORY_STEP_BYTES, (long) Math.ceil(highWater * MEMORY_HEADROOM)), MEMORY_STEP_BYTES));
        Resources suggested = ResourceMath.of(cpu, memory);
        BigDecimal saving = Billing.perHour(requested, latest.getArch(), rates)
                .subtract(Billing.perHour(suggested, latest.getArch(), rates))
                .multiply(HOURS_PER_MONTH).multiply(BigDecimal.valueOf(r.getPods()))
                .setScale(2, RoundingMode.HALF_UP);
        String reason = throttled || oom
                ? (throttled ? "throttled at its CPU limit" : "") + (throttled && oom ? "; " : "") + (oom ? "OOM-killed" : "")
                : suggested.equals(requested) ? "fits" : "uses less than it reserves";
        return r.setSuggested(suggested).setMonthlySaving(saving.toPlainString()).setReason(reason).build();
    }

    /** The band holding the {@code fraction} quantile of the time observed (0 when nothing was). */
    static int percentileBand(long[] millisPerBand, double fraction) {
        long total = java.util.Arrays.stream(millisPerBand).sum();
        if (total == 0) {
            return 0;
        }
        long seen = 0;
        for (int i = 0; i < millisPerBand.length; i++) {
            seen += millisPerBand[i];
            if (seen >= Math.ceil(total * fraction)) {
                return i;
            }
        }
        return millisPerBand.length - 1;
    }

    private static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }
}
