package io.farget.cli.view;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Fargate-style billing, pure arithmetic: a pod pays for what it RESERVED (not what it used) from
 * the moment it started until it finished (or now), rounded up to the second, with a one-minute
 * minimum. A pod that never started costs nothing.
 */
public final class Billing {
    public static final long MINIMUM_SECONDS = 60;

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);
    private static final BigDecimal BYTES_PER_GB = BigDecimal.valueOf(1L << 30);

    private Billing() {}

    /** What a pod is billed. */
    public record Bill(long seconds, BigDecimal vcpuSeconds, BigDecimal gbSeconds, BigDecimal cost) {}

    public static long billedSeconds(Instant startedAt, Instant finishedAt, Instant now) {
        if (startedAt == null) {
            return 0;
        }
        Instant end = finishedAt != null ? finishedAt : now;
        Duration ran = Duration.between(startedAt, end);
        if (ran.isNegative()) {
            ran = Duration.ZERO;
        }
        long seconds = ran.getSeconds() + (ran.getNano() > 0 ? 1 : 0);
        return Math.max(MINIMUM_SECONDS, seconds);
    }

    public static Bill bill(Resources reserved, Arch arch, long billedSeconds, RateCard rates) {
        BigDecimal seconds = BigDecimal.valueOf(billedSeconds);
        BigDecimal vcpuSeconds = BigDecimal.valueOf(reserved.getCpuMillis(), 3).multiply(seconds);
        BigDecimal gbSeconds = BigDecimal.valueOf(reserved.getMemoryBytes()).multiply(seconds)
                .divide(BYTES_PER_GB, 6, RoundingMode.HALF_UP);
        BigDecimal cost = vcpuSeconds.multiply(rates.usdPerVcpuHour())
                .add(gbSeconds.multiply(rates.usdPerGbHour()))
                .multiply(rates.factorFor(arch))
                .divide(SECONDS_PER_HOUR, 8, RoundingMode.HALF_UP);
        return new Bill(billedSeconds, Decimals.plain(vcpuSeconds), Decimals.plain(gbSeconds), Decimals.plain(cost));
    }
}
