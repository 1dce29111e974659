package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.pod;
import static io.farget.scheduler.metering.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.LedgerEntry;
import io.farget.proto.v1.PodPhase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final long GI = 1L << 30;

    /** A 1,000-millicore pod: 10 s at a load of 0.5 (band 10), then 10 s at 1.0 (band 20), then 10 s at 0.5 again. */
    private static LedgerRecord recordAcrossThreeLoads() {
        LedgerRecord record = LedgerRecord.empty("p1", 1);
        record.describe(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Arch.ARCH_X86_64);
        record.apply(usage(1, T0, 0, 100, 0));
        record.apply(usage(2, T0.plusSeconds(10), 5_000_000_000L, 100, 1_000));
        record.apply(usage(3, T0.plusSeconds(20), 15_000_000_000L, 100, 2_000));
        record.apply(usage(4, T0.plusSeconds(30), 20_000_000_000L, 100, 3_000));
        return record;
    }

    @Test
    void loadBandsAreStoredDenseWithTheTimeSpentInEach() {
        LedgerEntry counters = recordAcrossThreeLoads().counters();

        assertThat(counters.getCpuLoadMillisCount()).isEqualTo(LedgerMath.LOAD_BANDS);
        for (int band = 0; band < LedgerMath.LOAD_BANDS; band++) {
            long expected = band == 10 ? 20_000 : band == 20 ? 10_000 : 0;
            assertThat(counters.getCpuLoadMillis(band)).as("band %d", band).isEqualTo(expected);
        }
    }

    @Test
    void aStoredEntryReadBackGivesTheSameEntryAndKeepsCounting() {
        LedgerRecord original = recordAcrossThreeLoads();
        LedgerRecord reloaded = LedgerRecord.of(original.toEntry());

        assertThat(reloaded.toEntry()).isEqualTo(original.toEntry());

        original.apply(usage(5, T0.plusSeconds(40), 30_000_000_000L, 100, 4_000));
        reloaded.apply(usage(5, T0.plusSeconds(40), 30_000_000_000L, 100, 4_000));
        assertThat(reloaded.toEntry()).isEqualTo(original.toEntry());
        assertThat(reloaded.counters().getCpuLoadMillis(20)).isEqualTo(20_000);
    }

    @Test
    void anEntryThatNeverSpannedTimeHasNoLoadBands() {
        LedgerRecord record = LedgerRecord.empty("p1", 1);
        record.describe(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, T0, null), Arch.ARCH_X86_64);
        record.apply(usage(1, T0, 0, 100, 0));

        assertThat(record.counters().getCpuLoadMillisCount()).isZero();
    }
}
