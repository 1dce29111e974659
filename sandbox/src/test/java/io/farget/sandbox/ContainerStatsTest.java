package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.MI;
import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-container counters from each container's own cgroup below its pod's, in real runc sandboxes. */
@Tag("runc")
class ContainerStatsTest {
    @TempDir
    Path data;
    private RuncFixture f;

    @BeforeEach
    void setUp() {
        f = new RuncFixture(data, c -> c);
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
    }

    @Test
    void eachContainerCountsItsOwnCpuAndMemoryAndTheyAddUpToNoMoreThanThePod() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("split")
                .addContainers(container("busy", "sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
                        .setResources(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(32 * MI)))
                // dd reads into one 24 MiB buffer: a container-sized high-water mark for almost no CPU.
                .addContainers(container("holder", "dd", "if=/dev/zero", "of=/dev/null", "bs=24M", "count=1"))
                .build());

        f.awaitExit(id);

        List<ContainerStats> containers = f.runtime.containerStats(id);
        SandboxStats pod = f.runtime.stats(id).orElseThrow();
        assertThat(containers).extracting(ContainerStats::name).containsExactly("busy", "holder");
        SandboxStats busy = containers.get(0).stats();
        SandboxStats holder = containers.get(1).stats();
        assertThat(busy.cpuNanos()).isGreaterThan(100_000_000L).isGreaterThan(holder.cpuNanos());
        assertThat(holder.memoryHighWaterBytes()).isGreaterThan(20 * MI).isGreaterThan(busy.memoryHighWaterBytes());
        assertThat(busy.cpuNanos() + holder.cpuNanos()).isLessThanOrEqualTo(pod.cpuNanos());
        assertThat(pod.memoryHighWaterBytes()).isGreaterThanOrEqualTo(holder.memoryHighWaterBytes());
    }

    @Test
    void anUnknownPodHasNoContainerCounters() {
        assertThat(f.runtime.containerStats("nope")).isEmpty();
    }
}
