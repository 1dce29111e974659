package io.farget.scheduler.metering;

import io.farget.proto.v1.Arch;
import java.math.BigDecimal;

/**
 * Prices per hour of RESERVED capacity and the billing minimum, as Fargate bills: per second,
 * at least {@code minimumBilledSeconds}, with aarch64 nodes priced by {@code aarch64Factor}.
 * The default is Fargate's Linux on-demand price in us-east-1 (Graviton about 20 % less).
 */
public record RateCard(String currency, BigDecimal vcpuHour, BigDecimal gbHour, BigDecimal aarch64Factor,
                       long minimumBilledSeconds) {
    public static final RateCard DEFAULT = new RateCard("USD", new BigDecimal("0.04048"), new BigDecimal("0.004445"),
            new BigDecimal("0.8"), 60);

    public RateCard {
        if (vcpuHour.signum() < 0 || gbHour.signum() < 0 || aarch64Factor.signum() < 0 || minimumBilledSeconds < 0) {
            throw new IllegalArgumentException("rates and the minimum must not be negative");
        }
    }

    public RateCard withMinimumBilledSeconds(long seconds) {
        return new RateCard(currency, vcpuHour, gbHour, aarch64Factor, seconds);
    }

    /** The multiplier on the x86_64 price for a pod that ran on {@code arch}. */
    public BigDecimal factorFor(Arch arch) {
        return arch == Arch.ARCH_AARCH64 ? aarch64Factor : BigDecimal.ONE;
    }

    public io.farget.proto.v1.RateCard toProto() {
        return io.farget.proto.v1.RateCard.newBuilder()
                .setCurrency(currency)
                .setVcpuHour(vcpuHour.toPlainString())
                .setGbHour(gbHour.toPlainString())
                .setAarch64Factor(aarch64Factor.toPlainString())
                .setMinimumBilledSeconds(minimumBilledSeconds)
                .build();
    }
}
