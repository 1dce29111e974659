package io.farget.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.GpuInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuProbeTest {
    @Test
    void readsNvidiaSmiCsv() {
        GpuInfo gpus = GpuProbe.parse("NVIDIA A100-SXM4-80GB, 81920 MiB\nNVIDIA A100-SXM4-80GB, 81920 MiB\n");
        assertThat(gpus.getCount()).isEqualTo(2);
        assertThat(gpus.getModel()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(gpus.getMemoryBytesEach()).isEqualTo(81920L << 20);
    }

    @Test
    void nothingOrGarbageMeansNoGpus() {
        assertThat(GpuProbe.parse("").getCount()).isZero();
        assertThat(GpuProbe.parse("No devices were found\n").getCount()).isZero();
    }

    @Test
    void probingAHostWithoutTheToolFindsNone() {
        // These build machines have no NVIDIA driver; where one exists, the count must match its list.
        assertThat(GpuProbe.probe().getCount()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void labelsAndGpusSurviveReserveAndOverrides() {
        HostFacts facts = new HostFacts("h", "linux", io.farget.proto.v1.Arch.ARCH_X86_64,
                io.farget.common.ResourceMath.of(4000, 8L << 30))
                .withPlacementAttributes(Map.of("zone", "a"), GpuInfo.newBuilder().setCount(1).setModel("T4").build())
                .minusReserve(io.farget.common.ResourceMath.of(1000, 1L << 30))
                .withOverrides("other", null, null);
        assertThat(facts.labels()).containsEntry("zone", "a");
        assertThat(facts.gpus().getModel()).isEqualTo("T4");
        assertThat(facts.capacity().getCpuMillis()).isEqualTo(3000);
    }
}
