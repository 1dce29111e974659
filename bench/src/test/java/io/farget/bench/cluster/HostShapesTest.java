package io.farget.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostShapesTest {

    @Test
    void traceHostsKeepTheirGpusAndCycleToFillTheFleet(@TempDir Path dir) throws Exception {
        Path nodes = dir.resolve("nodes.csv");
        Files.writeString(nodes, """
                sn,cpu_milli,memory_mib,gpu,model
                openb-node-0000,64000,262144,2,P100
                openb-node-0001,96000,786432,8,V100M32
                openb-node-0002,32000,131072,0,
                """);

        List<HostShape> hosts = HostShapes.fromTrace(nodes, 4, 4);

        assertThat(hosts).extracting(h -> h.gpus().getCount()).containsExactly(2, 8, 0, 2);
        assertThat(hosts).extracting(h -> h.gpus().getModel()).containsExactly("P100", "V100M32", "", "P100");
        assertThat(hosts.get(1).capacity().getCpuMillis()).isEqualTo(96_000);
        assertThat(hosts.get(3).arch()).isEqualTo(Arch.ARCH_AARCH64);
    }

    @Test
    void syntheticHostsHaveNoGpus() {
        assertThat(HostShapes.synthetic(3, 4)).extracting(HostShape::gpus).containsOnly(GpuInfo.getDefaultInstance());
    }
}
