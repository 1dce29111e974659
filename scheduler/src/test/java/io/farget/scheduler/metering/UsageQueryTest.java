package io.farget.scheduler.metering;

import static io.farget.scheduler.metering.Fixtures.GI;
import static io.farget.scheduler.metering.Fixtures.pod;
import static io.farget.scheduler.metering.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.farget.common.FargetException;
import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodUsageRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageQueryTest {
    private static final Instant LATE = Instant.parse("2026-11-28T23:59:00Z");
    private final UsageLedger ledger = new UsageLedger(new LedgerLayout(4));

    private void twoMinutesAcrossMidnight() {
        ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_SUCCEEDED, LATE, LATE.plusSeconds(120)), Fixtures::x86);
        ledger.sample("p1", 1, usage(1, LATE.plusSeconds(30), 30_000_000_000L, 100, 3_000));
        ledger.sample("p1", 1, usage(2, LATE.plusSeconds(120), 90_000_000_000L, 100, 12_000));
    }

    @Test
    void byDaySplitsAtUtcMidnightAndAddsUpToTheWhole() {
        twoMinutesAcrossMidnight();
        UsageQuery query = new UsageQuery(RateCard.DEFAULT, LATE.plusSeconds(600), null, null);

        List<PodUsageRecord> days = query.records(ledger.entries(), UsageQuery.Grouping.parse("day"));
        PodUsageRecord whole = query.records(ledger.entries(), UsageQuery.Grouping.POD).get(0);

        assertThat(days).extracting(PodUsageRecord::getGroup).containsExactly("2026-11-28", "2026-11-29");
        assertThat(days).extracting(PodUsageRecord::getBilledSeconds).containsExactly(60L, 60L);
        assertThat(days.get(0).getUsage().getCpuNanos()).isEqualTo(30_000_000_000L);
        assertThat(days.get(1).getUsage().getCpuNanos()).isEqualTo(60_000_000_000L);
        assertThat(whole.getBilledSeconds()).isEqualTo(120);
        assertThat(whole.getBilledVcpuSeconds()).isEqualTo("120");
        assertThat(whole.getPodId()).isEqualTo("p1");
    }

    @Test
    void aPodsContainersAddUpOverItsAttemptsAndAreLeftOutOfWindows() {
        Instant start = Instant.parse("2026-11-28T10:00:00Z");
        for (int attempt = 1; attempt <= 2; attempt++) {
            Instant from = start.plusSeconds(600L * (attempt - 1));
            ledger.podChanged(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, from, null).toBuilder()
                    .setStatus(pod("p1", 1000, GI, PodPhase.POD_PHASE_RUNNING, from, null).getStatus().toBuilder().setAttempt(attempt))
                    .build(), Fixtures::x86);
            ledger.sample("p1", attempt, usage(1, from.plusSeconds(60), 3_000, 300, 900).toBuilder()
                    .setMemoryHighWaterBytes(400 * attempt)
                    .addContainers(ContainerUsage.newBuilder().setName("web").setCpuNanos(2_000).setPeakMemoryBytes(200 * attempt)
                            .setMemoryHighWaterBytes(250 * attempt).setMemoryByteSeconds(600))
                    .addContainers(ContainerUsage.newBuilder().setName("sidecar").setCpuNanos(1_000).setPeakMemoryBytes(100)
                            .setMemoryByteSeconds(300))
                    .build());
        }
        UsageQuery whole = new UsageQuery(RateCard.DEFAULT, start.plusSeconds(3600), null, null);

        PodUsageRecord r = whole.records(ledger.entries(), UsageQuery.Grouping.POD).get(0);

        assertThat(r.getUsage().getMemoryHighWaterBytes()).isEqualTo(800);
        assertThat(r.getUsage().getContainersList()).extracting(ContainerUsage::getName).containsExactly("web", "sidecar");
        ContainerUsage web = r.getUsage().getContainers(0);
        assertThat(web.getCpuNanos()).isEqualTo(4_000);
        assertThat(web.getMemoryByteSeconds()).isEqualTo(1_200);
        assertThat(web.getPeakMemoryBytes()).isEqualTo(400);
        assertThat(web.getMemoryHighWaterBytes()).isEqualTo(500);
        assertThat(new UsageQuery(RateCard.DEFAULT, start.plusSeconds(3600), start, null)
                .records(ledger.entries(), UsageQuery.Grouping.POD).get(0).getUsage().getContainersList()).isEmpty();
    }

    @Test
    void sinceLeavesOutEarlierHoursAndBilledTime() {
        twoMinutesAcrossMidnight();
        Instant midnight = Instant.parse("2026-11-29T00:00:00Z");
        PodUsageRecord r = new UsageQuery(RateCard.DEFAULT, LATE.plusSeconds(600), midnight, null)
                .records(ledger.entries(), UsageQuery.Grouping.POD).get(0);

        assertThat(r.getBilledSeconds()).isEqualTo(60);
        assertThat(r.getUsage().getCpuNanos()).isEqualTo(60_000_000_000L);
    }

    @Test
    void groupsByNodeAndLabel() {
        twoMinutesAcrossMidnight();
        UsageQuery query = new UsageQuery(RateCard.DEFAULT, LATE.plusSeconds(600), null, null);

        assertThat(query.records(ledger.entries(), UsageQuery.Grouping.parse("node")))
                .extracting(PodUsageRecord::getGroup).containsExactly("node-a");
        assertThat(query.records(ledger.entries(), UsageQuery.Grouping.parse("label:app")))
                .extracting(PodUsageRecord::getGroup).containsExactly("app=web");
    }

    @Test
    void badQuestionsNameTheField() {
        assertThatThrownBy(() -> UsageQuery.Grouping.parse("color")).isInstanceOf(FargetException.class).hasMessageContaining("group_by");
        assertThatThrownBy(() -> new UsageQuery(RateCard.DEFAULT, LATE, LATE, LATE)).hasMessageContaining("until");
    }
}
