package io.farget.scheduler.metering;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Fargate-style billing, pure arithmetic. A pod attempt pays for what it RESERVED over its billed
 * interval: from its start, whole seconds rounded up, at least the minimum, to its end (or now).
 * Windows (--since/--until, days) take the part of that interval they overlap, so the minimum
 * counts where the pod started and splits of one pod add up to its whole bill.
 */
public final class Billing {
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final BigDecimal BYTES_PER_GB = BigDecimal.valueOf(1L << 30); // 1 GB = 1 GiB, as Fargate

    private Billing() {}

    /** What reserved capacity over some seconds costs. Decimals are exact (vCPU 3, GB 6, cost 8 places). */
    public record Bill(long seconds, BigDecimal vcpuSeconds, BigDecimal gbSeconds, BigDecimal cost) {
        public static final Bill ZERO = new Bill(0, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

        public Bill plus(Bill other) {
            return new Bill(seconds + other.seconds, vcpuSeconds.add(other.vcpuSeconds), gbSeconds.add(other.gbSeconds),
                    cost.add(other.cost));
        }
    }

    /** Billed seconds of an attempt that started at {@code start} and ended at {@code end}; 0 if it never started. */
    public static long billedSeconds(Instant start, Instant end, long minimumSeconds) {
        if (start == null || end == null) {
            return 0;
        }
        Duration ran = Duration.between(start, end);
        if (ran.isNegative()) {
            ran = Duration.ZERO;
        }
        long seconds = ran.getSeconds() + (ran.getNano() > 0 ? 1 : 0);
        return Math.max(minimumSeconds, seconds);
    }

    /**
     * The billed seconds that fall in {@code [since, until)} (null: open), rounded to the nearest
     * second; the whole bill when the window covers the billed interval.
     */
    public static long billedSecondsWithin(Instant start, Instant end, long minimumSeconds, Instant since, Instant until) {
        long total = billedSeconds(start, end, minimumSeconds);
        if (total == 0) {
            return 0;
        }
        Instant billedEnd = start.plusSeconds(total);
        Instant from = since == null || since.isBefore(start) ? start : since;
        Instant to = until == null || until.isAfter(billedEnd) ? billedEnd : until;
        if (!to.isAfter(from)) {
            return 0;
        }
        if (from.equals(start) && to.equals(billedEnd)) {
            return total;
        }
        return Math.round(Duration.between(from, to).toMillis() / 1000.0);
    }

    public static Bill bill(Resources reserved, Arch arch, long billedSeconds, RateCard rates) {
        BigDecimal seconds = BigDecimal.valueOf(billedSeconds);
        BigDecimal vcpuSeconds = BigDecimal.valueOf(reserved.getCpuMillis(), 3).multiply(seconds);
        BigDecimal gbSeconds = BigDecimal.valueOf(reserved.getMemoryBytes()).multiply(seconds)
                .divide(BYTES_PER_GB, 6, RoundingMode.HALF_UP);
        BigDecimal cost = hourlyCost(vcpuSeconds, gbSeconds, arch, rates).divide(SECONDS_PER_HOUR, 8, RoundingMode.HALF_UP);
        return new Bill(billedSeconds, plain(vcpuSeconds), plain(gbSeconds), plain(cost));
    }

    /** What {@code reserved} costs per hour on {@code arch}. */
    public static BigDecimal perHour(Resources reserved, Arch arch, RateCard rates) {
        BigDecimal vcpus = BigDecimal.valueOf(reserved.getCpuMillis(), 3);
        BigDecimal gbs = BigDecimal.valueOf(reserved.getMemoryBytes()).divide(BYTES_PER_GB, 9, RoundingMode.HALF_UP);
        return hourlyCost(vcpus, gbs, arch, rates);
    }

    private static BigDecimal hourlyCost(BigDecimal vcpu, BigDecimal gb, Arch arch, RateCard rates) {
        return vcpu.multiply(rates.vcpuHour()).add(gb.multiply(rates.gbHour())).multiply(rates.factorFor(arch));
    }

    static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
