package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.GI;
import static io.farget.scheduler.metering.Fixtures.T0;
import static io.farget.scheduler.metering.Fixtures.pod;
import static io.farget.scheduler.metering.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.Recommendation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    private final UsageLedger ledger = new UsageLedger(new LedgerLayout(4));

    /** A pod reserving 1 CPU and 1 GiB that used {@code cpuPerSecond} of CPU for 60 s. */
    private Recommendation advise(double cpuPerSecond, long peak, String endReason) {
        var p = pod("p1", 1000, GI, endReason == null ? PodPhase.POD_PHASE_RUNNING : PodPhase.POD_PHASE_FAILED, T0,
                endReason == null ? null : T0.plusSeconds(60));
        if (endReason != null) {
            p = p.toBuilder().setStatus(p.getStatus().toBuilder().setReason(endReason)).build();
        }
        ledger.podChanged(p, Fixtures::x86);
        ledger.sample("p1", 1, usage(1, T0, 0, peak, 0));
        for (int i = 1; i <= 6; i++) {
            ledger.sample("p1", 1, usage(i + 1, T0.plusSeconds(10L * i), (long) (cpuPerSecond * 10e9 * i), peak, 0));
        }
        return Recommender.recommend(ledger.entries(), null, RateCard.DEFAULT).get(0);
    }

    @Test
    void anIdlePodIsToldToShrinkAndWhatThatSaves() {
        Recommendation r = advise(0.1, 100L << 20, null);

        assertThat(r.getP95CpuMillis()).isEqualTo(150); // band 10-15 %, upper edge
        assertThat(r.getSuggested().getCpuMillis()).isEqualTo(200);
        assertThat(r.getSuggested().getMemoryBytes()).isEqualTo(128L << 20);
        assertThat(new BigDecimal(r.getMonthlySaving())).isPositive();
        assertThat(r.getThrottled()).isFalse();
    }

    @Test
    void memoryIsSuggestedFromTheHighWaterMarkSoStartUpSpikesStillFit() {
        var p = pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null);
        ledger.podChanged(p, Fixtures::x86);
        for (int i = 0; i <= 6; i++) {
            ledger.sample("p1", 1, usage(i + 1, T0.plusSeconds(10L * i), (long) (1e9 * i), 100L << 20, 0).toBuilder()
                    .setMemoryHighWaterBytes(200L << 20).build());
        }

        Recommendation r = Recommender.recommend(ledger.entries(), null, RateCard.DEFAULT).get(0);

        assertThat(r.getPeakMemoryBytes()).isEqualTo(100L << 20);
        assertThat(r.getMemoryHighWaterBytes()).isEqualTo(200L << 20);
        assertThat(r.getSuggested().getMemoryBytes()).isEqualTo(256L << 20); // 200 MiB x 1.25, in 16 MiB steps
    }

    @Test
    void aThrottledPodIsToldToGrow() {
        Recommendation r = advise(1.0, 100L << 20, null);

        assertThat(r.getThrottled()).isTrue();
        assertThat(r.getSuggested().getCpuMillis()).isEqualTo(2000);
        assertThat(new BigDecimal(r.getMonthlySaving())).isNegative();
    }

    @Test
    void anOomKilledPodIsToldToTakeMoreMemory() {
        Recommendation r = advise(0.1, GI, "OOMKilled");

        assertThat(r.getOomKilled()).isTrue();
        assertThat(r.getSuggested().getMemoryBytes()).isEqualTo(2 * GI);
    }
}
