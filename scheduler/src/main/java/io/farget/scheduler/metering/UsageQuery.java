package io.farget.scheduler.metering;

import io.farget.common.FargetException;
import io.farget.common.Timestamps;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.UsageBucket;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers a usage question from ledger entries, pure: what was used and billed in a window, per
 * pod, node, label or UTC day. Used amounts come from the hourly buckets that start inside the
 * window; billed amounts are exact to the second (see {@link Billing}). Peak memory (and the
 * high-water mark) is the attempt's peak, whatever the window. Per-container usage is kept per
 * attempt, not per hour, so a pod's record carries its containers only when no window is asked.
 */
public final class UsageQuery {
    /** How records are grouped: by pod (the default), node, day, or the value of one label (or each label). */
    public record Grouping(String kind, String labelKey) {
        public static final Grouping POD = new Grouping("pod", null);

        public static Grouping parse(String text) {
            String t = text == null ? "" : text.trim();
            if (t.isEmpty() || t.equals("pod")) {
                return POD;
            }
            if (t.equals("node") || t.equals("day") || t.equals("label")) {
                return new Grouping(t, null);
            }
            if (t.startsWith("label:") || t.startsWith("label=")) {
                return new Grouping("label", t.substring(6));
            }
            throw FargetException.invalid("group_by", "must be pod, node, day, label or label:KEY, not '" + t + "'");
        }
    }

    private final RateCard rates;
    private final Instant now;
    private final Instant since;
    private final Instant until;

    public UsageQuery(RateCard rates, Instant now, Instant since, Instant until) {
        if (since != null && until != null && !until.isAfter(since)) {
            throw FargetException.invalid("until", "must be after since");
        }
        this.rates = rates;
        this.now = now;
        this.since = since;
        this.until = until;
    }

    public List<PodUsageRecord> records(Collection<LedgerEntry> entries, Grouping by) {
        Map<String, Group> groups = new TreeMap<>();
        for (LedgerEntry e : entries) {
            switch (by.kind()) {
                case "node" -> add(groups, e.getNodeId(), e, since, until);
                case "day" -> byDay(groups, e);
                case "label" -> e.getLabelsMap().entrySet().stream()
                        .filter(l -> by.labelKey() == null || l.getKey().equals(by.labelKey()))
                        .forEach(l -> add(groups, l.getKey() + "=" + l.getValue(), e, since, until));
                default -> add(groups, e.getPodId(), e, since, until);
            }
        }
        boolean perPod = by.kind().equals("pod");
        boolean wholeAttempts = since == null && until == null;
        List<PodUsageRecord> records = new ArrayList<>();
        for (Map.Entry<String, Group> g : groups.entrySet()) {
            records.add(g.getValue().record(perPod ? "" : g.getKey(), rates, perPod && wholeAttempts));
        }
        return records;
    }

    /** Splits an attempt at UTC midnights within the window. */
    private void byDay(Map<String, Group> groups, LedgerEntry e) {
        Instant start = Timestamps.toInstant(e.getStartedAt());
        if (start == null) {
            return;
        }
        Instant end = billedEnd(e);
        Instant from = since != null && since.isAfter(start) ? since : start;
        Instant to = until != null && until.isBefore(end) ? until : end;
        for (LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate(); day.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(to); day = day.plusDays(1)) {
            Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            add(groups, day.toString(), e, max(dayStart, since), min(dayEnd, until));
        }
    }

    private Instant billedEnd(LedgerEntry e) {
        Instant start = Timestamps.toInstant(e.getStartedAt());
        return start.plusSeconds(Billing.billedSeconds(start, end(e), rates.minimumBilledSeconds()));
    }

    private Instant end(LedgerEntry e) {
        Instant finished = Timestamps.toInstant(e.getFinishedAt());
        return finished != null ? finished : now;
    }

    private void add(Map<String, Group> groups, String key, LedgerEntry e, Instant from, Instant to) {
        long cpu = 0;
        long memory = 0;
        for (UsageBucket b : e.getBucketsList()) {
            Instant at = Instant.ofEpochSecond(b.getStartEpochSecond());
            if ((from == null || at.plusSeconds(b.getSeconds()).isAfter(from)) && (to == null || at.isBefore(to))) {
                cpu += b.getCpuNanos();
                memory += b.getMemoryByteSeconds();
            }
        }
        long seconds = Billing.billedSecondsWithin(Timestamps.toInstant(e.getStartedAt()), end(e),
                rates.minimumBilledSeconds(), from, to);
        groups.computeIfAbsent(key, k -> new Group()).add(e, cpu, memory, Billing.bill(e.getReserved(), e.getArch(), seconds, rates));
    }

    private static Instant max(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    /** Sums of one group; for a pod group, the facts of its latest attempt. */
    private static final class Group {
        private final List<LedgerEntry> entries = new ArrayList<>();
        private long cpuNanos;
        private long memoryByteSeconds;
        private long peak;
        private long highWater;
        private Billing.Bill bill = Billing.Bill.ZERO;

        void add(LedgerEntry e, long cpu, long memory, Billing.Bill b) {
            entries.add(e);
            cpuNanos += cpu;
            memoryByteSeconds += memory;
            peak = Math.max(peak, e.getUsage().getPeakMemoryBytes());
            highWater = Math.max(highWater, e.getUsage().getMemoryHighWaterBytes());
            bill = bill.plus(b);
        }

        PodUsageRecord record(String group, RateCard rates, boolean withContainers) {
            entries.sort(Comparator.comparingInt(LedgerEntry::getAttempt));
            LedgerEntry first = entries.get(0);
            LedgerEntry last = entries.get(entries.size() - 1);
            ContainerTotals containers = new ContainerTotals();
            if (withContainers) {
                entries.forEach(e -> containers.add(e.getUsage().getContainersList()));
            }
            PodUsageRecord.Builder r = PodUsageRecord.newBuilder()
                    .setGroup(group)
                    .setPodCount((int) entries.stream().map(LedgerEntry::getPodId).distinct().count())
                    .setAttempts(entries.size())
                    .setUsage(PodUsage.newBuilder()
                            .setCpuNanos(cpuNanos)
                            .setMemoryBytes(last.getUsage().getMemoryBytes())
                            .setPeakMemoryBytes(peak)
                            .setMemoryHighWaterBytes(highWater)
                            .addAllContainers(containers.totals())
                            .setMemoryByteSeconds(memoryByteSeconds)
                            .setSampledAt(last.getUsage().getSampledAt())
                            .setSampleSeq(last.getUsage().getSampleSeq()))
                    .setBilledSeconds(bill.seconds())
                    .setBilledVcpuSeconds(bill.vcpuSeconds().toPlainString())
                    .setBilledGbSeconds(bill.gbSeconds().toPlainString())
                    .setCost(bill.cost().toPlainString())
                    .setCurrency(rates.currency());
            if (group.isEmpty()) { // one pod
                r.setPodId(last.getPodId()).setPodName(last.getPodName()).setNodeId(last.getNodeId()).setArch(last.getArch())
                        .setReserved(last.getReserved()).setStartedAt(first.getStartedAt()).setFinishedAt(last.getFinishedAt())
                        .putAllLabels(last.getLabelsMap());
            }
            return r.build();
        }
    }
}
