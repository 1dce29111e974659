package io.farget.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodUsage;
import io.farget.sandbox.ContainerStats;
import io.farget.sandbox.SandboxStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageMathTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void integratesMemoryWithTheTrapezoidRuleAndKeepsCountersCumulative() {
        PodUsage start = UsageMath.initial(T0);
        PodUsage first = UsageMath.next(start, new SandboxStats(1_000, 100, 100), T0.plusSeconds(1));
        PodUsage second = UsageMath.next(first, new SandboxStats(3_000, 300, 350), T0.plusSeconds(3));

        assertThat(first.getSampleSeq()).isEqualTo(1);
        assertThat(first.getMemoryByteSeconds()).isEqualTo(50L); // (0 + 100) / 2 over 1 s
        assertThat(second.getSampleSeq()).isEqualTo(2);
        assertThat(second.getMemoryByteSeconds()).isEqualTo(50L + 200L * 2);
        assertThat(second.getCpuNanos()).isEqualTo(3_000);
        assertThat(second.getMemoryBytes()).isEqualTo(300);
        assertThat(second.getPeakMemoryBytes()).isEqualTo(300); // the highest working set sampled
        assertThat(second.getMemoryHighWaterBytes()).isEqualTo(350); // the kernel's mark, spikes between samples included
    }

    @Test
    void containersAreFoldedByNameAndKeepTheirCountersOnceTheirCgroupIsGone() {
        PodUsage first = UsageMath.next(UsageMath.initial(T0), new SandboxStats(3_000, 300, 300),
                List.of(new ContainerStats("a", new SandboxStats(1_000, 100, 120)), new ContainerStats("b", new SandboxStats(2_000, 200, 200))),
                T0.plusSeconds(2));
        PodUsage second = UsageMath.next(first, new SandboxStats(5_000, 200, 300),
                List.of(new ContainerStats("b", new SandboxStats(4_000, 100, 250)), new ContainerStats("c", new SandboxStats(10, 10, 10))),
                T0.plusSeconds(4));

        assertThat(second.getContainersList()).extracting(ContainerUsage::getName).containsExactly("a", "b", "c");
        ContainerUsage a = second.getContainers(0);
        ContainerUsage b = second.getContainers(1);
        assertThat(a).isEqualTo(first.getContainers(0)); // gone: unchanged
        assertThat(a.getMemoryByteSeconds()).isEqualTo(100L); // (0 + 100) / 2 over 2 s
        assertThat(b.getCpuNanos()).isEqualTo(4_000);
        assertThat(b.getMemoryBytes()).isEqualTo(100);
        assertThat(b.getPeakMemoryBytes()).isEqualTo(200);
        assertThat(b.getMemoryHighWaterBytes()).isEqualTo(250);
        assertThat(b.getMemoryByteSeconds()).isEqualTo(200L + 150L * 2);
        assertThat(second.getContainers(2).getMemoryByteSeconds()).isEqualTo(10L); // (0 + 10) / 2 over 2 s
    }

    @Test
    void countersNeverGoBackwardsAndATebibyteDayDoesNotOverflow() {
        PodUsage big = UsageMath.next(UsageMath.initial(T0), new SandboxStats(5_000, 1L << 40, 1L << 40), T0.plusSeconds(86_400));
        PodUsage after = UsageMath.next(big, new SandboxStats(10, 1L << 40, 1), T0.plusSeconds(2 * 86_400));

        assertThat(big.getMemoryByteSeconds()).isEqualTo((1L << 39) * 86_400); // (0 + 1 TiB) / 2 over a day
        assertThat(after.getMemoryByteSeconds()).isEqualTo((1L << 39) * 86_400 + (1L << 40) * 86_400);
        assertThat(after.getCpuNanos()).isEqualTo(5_000);
        assertThat(after.getPeakMemoryBytes()).isEqualTo(1L << 40);
    }
}
