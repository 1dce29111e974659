package io.farget.cli.view;

import io.farget.proto.v1.Arch;
import java.math.BigDecimal;

/**
 * Prices per hour of reserved capacity. The default is AWS Fargate's Linux on-demand price in
 * us-east-1; ARM (Graviton) costs 20% less there, and so here.
 */
public record RateCard(BigDecimal usdPerVcpuHour, BigDecimal usdPerGbHour, BigDecimal armFactor) {
    public static final RateCard DEFAULT =
            new RateCard(new BigDecimal("0.04048"), new BigDecimal("0.004445"), new BigDecimal("0.8"));

    public static final String CURRENCY = "USD";

    /** The factor applied to the price of a pod that ran on {@code arch}. */
    public BigDecimal factorFor(Arch arch) {
        return arch == Arch.ARCH_AARCH64 ? armFactor : BigDecimal.ONE;
    }
}
