package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.GI;
import static io.farget.scheduler.metering.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BillingTest {
    private static final RateCard RATES = RateCard.DEFAULT;

    @Test
    void aTwentySecondPodIsBilledTheOneMinuteMinimum() {
        long seconds = Billing.billedSeconds(T0, T0.plusSeconds(20), 60);
        Billing.Bill bill = Billing.bill(ResourceMath.of(1000, GI), Arch.ARCH_X86_64, seconds, RATES);

        assertThat(bill.vcpuSeconds()).isEqualByComparingTo("60");
        assertThat(bill.gbSeconds()).isEqualByComparingTo("60");
    }

    @Test
    void aNinetySecondPodIsBilledNinetyAndPartSecondsRoundUp() {
        assertThat(Billing.billedSeconds(T0, T0.plusSeconds(90), 60)).isEqualTo(90);
        assertThat(Billing.billedSeconds(T0, T0.plusMillis(90_001), 60)).isEqualTo(91);
        assertThat(Billing.billedSeconds(null, null, 60)).isZero();
    }

    @Test
    void aConfiguredMinimumApplies() {
        assertThat(Billing.billedSeconds(T0, T0.plusSeconds(20), 0)).isEqualTo(20);
    }

    @Test
    void oneGbIsOneGibAndArmIsTwentyPercentCheaper() {
        Billing.Bill x86 = Billing.bill(ResourceMath.of(1000, 2 * GI), Arch.ARCH_X86_64, 3600, RATES);
        Billing.Bill arm = Billing.bill(ResourceMath.of(1000, 2 * GI), Arch.ARCH_AARCH64, 3600, RATES);

        assertThat(x86.gbSeconds()).isEqualByComparingTo("7200");
        assertThat(x86.cost()).isEqualByComparingTo(new BigDecimal("0.04048").add(new BigDecimal("0.00889")));
        assertThat(arm.cost()).isEqualByComparingTo(x86.cost().multiply(new BigDecimal("0.8")));
    }

    @Test
    void windowsTakeTheirPartOfTheBilledIntervalAndTheWholeWhenTheyCoverIt() {
        assertThat(Billing.billedSecondsWithin(T0, T0.plusSeconds(90), 60, T0.plusSeconds(30), null)).isEqualTo(60);
        assertThat(Billing.billedSecondsWithin(T0, T0.plusSeconds(90), 60, null, T0.plusSeconds(30))).isEqualTo(30);
        assertThat(Billing.billedSecondsWithin(T0, T0.plusSeconds(20), 60, null, null)).isEqualTo(60);
        assertThat(Billing.billedSecondsWithin(T0, T0.plusSeconds(20), 60, T0.plusSeconds(100), null)).isZero();
    }
}
