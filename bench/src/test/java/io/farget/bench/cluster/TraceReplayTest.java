package io.farget.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.proto.v1.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReplayTest {
    private static final String POD_LIST = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p-late,4000,8192,2,1000,,LS,Running,1000,3000,1000
            p-first,12000,0,1,460,V100M32,LS,Running,0,500,0
            p-mid,8000,16384,0,0,,BE,Succeeded,500,520,500
            """;

    private static TraceReplay replay(Path dir, Duration span, int limit) throws Exception {
        Path file = dir.resolve("pods.csv");
        Files.writeString(file, POD_LIST);
        return TraceReplay.load(file, span, limit);
    }

    @Test
    void arrivalsComeInCreationOrderCompressedIntoTheSpan(@TempDir Path dir) throws Exception {
        TraceReplay replay = replay(dir, Duration.ofSeconds(10), 0);

        assertThat(replay.size()).isEqualTo(3);
        assertThat(replay.compression()).isEqualTo(100.0); // 1,000 trace seconds into 10
        assertThat(replay.spec(0).getName()).isEqualTo("trace-0");
        assertThat(replay.dueAfterNanos(0)).isZero();
        assertThat(replay.dueAfterNanos(1)).isEqualTo(5_000_000_000L);
        assertThat(replay.dueAfterNanos(2)).isEqualTo(10_000_000_000L);
    }

    @Test
    void podsKeepTheTracesSizesAndLiveTheirCompressedLifetime(@TempDir Path dir) throws Exception {
        TraceReplay replay = replay(dir, Duration.ofSeconds(10), 0);

        PodSpec first = replay.spec(0); // a share of one GPU of a given model, 500 s -> 5 s
        assertThat(first.getContainers(0).getResources().getCpuMillis()).isEqualTo(12_000);
        assertThat(first.getContainers(0).getResources().getMemoryBytes()).as("0 MiB raised to 4").isEqualTo(4L << 20);
        assertThat(first.getContainers(0).getResources().getGpuMilli()).isEqualTo(460);
        assertThat(first.getContainers(0).getResources().getGpu()).isZero();
        assertThat(first.getGpuModelsList()).containsExactly("V100M32");
        assertThat(PodScripts.sleepOf(first)).isEqualTo(Duration.ofSeconds(5));

        PodSpec mid = replay.spec(1); // no GPU, 20 s -> 0.2 s
        assertThat(mid.getContainers(0).getResources().getGpu()).isZero();
        assertThat(mid.getContainers(0).getResources().getGpuMilli()).isZero();
        assertThat(PodScripts.sleepOf(mid)).isEqualTo(Duration.ofMillis(200));

        PodSpec late = replay.spec(2); // two whole GPUs, 2,000 s -> 20 s
        assertThat(late.getContainers(0).getResources().getGpu()).isEqualTo(2);
        assertThat(PodScripts.sleepOf(late)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aLimitReplaysOnlyTheFirstArrivals(@TempDir Path dir) throws Exception {
        TraceReplay replay = replay(dir, Duration.ofSeconds(10), 2);

        assertThat(replay.size()).isEqualTo(2);
        assertThat(replay.compression()).as("500 trace seconds between the two into 10").isEqualTo(50.0);
    }

    @Test
    void onlyANumericSleepEndsAPod(@TempDir Path dir) throws Exception {
        assertThat(PodScripts.sleepOf(PodMix.spec(0))).as("sleep infinity").isNull();
        assertThat(PodScripts.sleepOf(PodSpec.getDefaultInstance())).isNull();

        assertThat(PodScripts.runForever().ends(PodMix.spec(0))).isFalse();
        assertThat(PodScripts.runForever().ends(replay(dir, Duration.ofSeconds(10), 0).spec(0))).isTrue();
        assertThat(new PodScripts(Duration.ofSeconds(1), 0).ends(PodMix.spec(0))).as("--run-for").isTrue();
    }
}
