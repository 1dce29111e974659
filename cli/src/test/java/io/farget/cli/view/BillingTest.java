package io.farget.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BillingTest {
    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void aShortPodPaysForOneMinute() {
        long seconds = Billing.billedSeconds(START, START.plusSeconds(20), null);
        Billing.Bill bill = Billing.bill(ResourceMath.of(1000, 1L << 30), Arch.ARCH_X86_64, seconds, RateCard.DEFAULT);

        assertThat(seconds).isEqualTo(60);
        assertThat(bill.vcpuSeconds()).isEqualByComparingTo("60");
        assertThat(bill.gbSeconds()).isEqualByComparingTo("60");
    }

    @Test
    void aLongerPodPaysPerSecondRoundedUp() {
        assertThat(Billing.billedSeconds(START, START.plusSeconds(90), null)).isEqualTo(90);
        assertThat(Billing.billedSeconds(START, START.plusMillis(90_001), null)).isEqualTo(91);
    }

    @Test
    void aRunningPodIsBilledUntilNow() {
        assertThat(Billing.billedSeconds(START, null, START.plusSeconds(300))).isEqualTo(300);
    }

    @Test
    void aPodThatNeverStartedCostsNothing() {
        long seconds = Billing.billedSeconds(null, null, START);
        Billing.Bill bill = Billing.bill(ResourceMath.of(1000, 1L << 30), Arch.ARCH_X86_64, seconds, RateCard.DEFAULT);

        assertThat(seconds).isZero();
        assertThat(bill.cost()).isEqualByComparingTo("0");
    }

    @Test
    void costFollowsTheRateCardAndArmIsTwentyPercentCheaper() {
        // One vCPU and 2 GiB for one hour: 0.04048 + 2 * 0.004445 = 0.04937 USD.
        Billing.Bill x86 = Billing.bill(ResourceMath.of(1000, 2L << 30), Arch.ARCH_X86_64, 3600, RateCard.DEFAULT);
        Billing.Bill arm = Billing.bill(ResourceMath.of(1000, 2L << 30), Arch.ARCH_AARCH64, 3600, RateCard.DEFAULT);

        assertThat(x86.cost()).isEqualByComparingTo("0.04937");
        assertThat(arm.cost()).isEqualByComparingTo("0.039496");
    }

    @Test
    void quarterCoreAndHalfGigForAMinute() {
        Billing.Bill bill = Billing.bill(ResourceMath.of(250, 512L << 20), Arch.ARCH_X86_64, 60, RateCard.DEFAULT);

        assertThat(bill.vcpuSeconds().toPlainString()).isEqualTo("15");
        assertThat(bill.gbSeconds().toPlainString()).isEqualTo("30");
    }
}
