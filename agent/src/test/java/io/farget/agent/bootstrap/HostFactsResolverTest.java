package io.farget.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.agent.capacity.HostFacts;
import io.farget.common.ResourceMath;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostFactsResolverTest {
    private static final AgentConfig HOLLOW = AgentConfig.defaults(Path.of("/nonexistent"))
            .withHostname("hollow-00001").withArch(Arch.ARCH_X86_64).withCapacity(ResourceMath.of(64_000, 256L << 30));

    @Test
    void aHollowAgentRegistersTheGpusItsConfigGivesIt() {
        GpuInfo gpus = GpuInfo.newBuilder().setCount(8).setModel("V100M32").build();

        HostFacts facts = HostFactsResolver.resolve(HOLLOW.withGpus(gpus));

        assertThat(facts.gpus()).isEqualTo(gpus);
        assertThat(facts.capacity().getCpuMillis()).isEqualTo(64_000);
    }

    @Test
    void aHollowAgentWithoutGpusInItsConfigHasNone() {
        assertThat(HostFactsResolver.resolve(HOLLOW).gpus().getCount()).isZero();
    }
}
