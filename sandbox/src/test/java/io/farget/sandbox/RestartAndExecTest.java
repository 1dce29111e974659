package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.MI;
import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.EmptyDirVolume;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import io.farget.proto.v1.Volume;
import io.farget.proto.v1.VolumeMount;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies with back-off, cumulative usage across restarts, and exec into a running container, on real runc. */
@Tag("runc")
class RestartAndExecTest {
    private static final RestartBackoff FAST = new RestartBackoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(10));
    private static final VolumeMount DATA = VolumeMount.newBuilder().setName("data").setMountPath("/data").build();
    private static final Volume EMPTY_DIR = Volume.newBuilder().setName("data").setEmptyDir(EmptyDirVolume.getDefaultInstance()).build();

    @TempDir
    Path data;
    private RuncFixture f;

    @BeforeEach
    void setUp() {
        f = new RuncFixture(data, c -> c.withRestartBackoff(FAST));
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
    }

    /** Counts its runs in the emptyDir (which outlives restarts) and fails until the third. */
    private static PodSpec countingPod(RestartPolicy policy, int succeedOnRun) {
        return PodSpec.newBuilder().setName("retry").setRestart(policy).addVolumes(EMPTY_DIR)
                .addContainers(container("main", "sh", "-c", "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; "
                        + "echo run $n; [ $n -ge " + succeedOnRun + " ]").addVolumeMounts(DATA))
                .build();
    }

    @Test
    void onFailureRestartsAFailingContainerUntilItSucceedsAndCountsTheRestarts() throws Exception {
        String id = f.start(countingPod(RestartPolicy.RESTART_POLICY_ON_FAILURE, 3));

        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).as(f.log(id, "main")).isZero();
        assertThat(f.log(id, "main")).contains("run 1", "run 2", "run 3");
        ContainerRuntimeStatus main = f.runtime.containers(id).get(0);
        assertThat(main.restartCount()).isEqualTo(2);
        assertThat(main.reason()).isEqualTo("Completed");
        assertThat(f.exitCounts.get(id)).as("one exit per pod, not per run").isEqualTo(1);
    }

    @Test
    void neverLeavesAFailedContainerFailed() throws Exception {
        String id = f.start(countingPod(RestartPolicy.RESTART_POLICY_NEVER, 3));

        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(f.runtime.containers(id).get(0).restartCount()).isZero();
    }

    @Test
    void alwaysRestartsEvenSuccessesAndStoppingDuringBackOffEndsThePod() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("loop").setRestart(RestartPolicy.RESTART_POLICY_ALWAYS)
                .addContainers(container("main", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo ran")).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> f.runtime.containers(id).get(0).restartCount() >= 1);
        long cpuAfterOneRestart = f.runtime.stats(id).orElseThrow().cpuNanos();
        await().atMost(Duration.ofSeconds(20)).until(() -> f.runtime.containers(id).get(0).restartCount() >= 4);

        assertThat(f.runtime.stats(id).orElseThrow().cpuNanos()).as("usage is cumulative across restarts")
                .isGreaterThan(cpuAfterOneRestart + cpuAfterOneRestart / 2);
        f.runtime.stop(id, Duration.ofSeconds(5));
        f.awaitExit(id);
        assertThat(f.runtime.containers(id).get(0).exited()).isTrue();
    }

    @Test
    void execRunsACommandInTheRunningContainerWithItsStdinAndExitCode() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("exec").addContainers(container("main", "sleep", "60")).build());

        Process exec = f.runtime.exec(id, "", List.of("sh", "-c", "echo pid1=$(cat /proc/1/comm); cat; echo oops >&2; exit 3"));
        try (OutputStream stdin = exec.getOutputStream()) {
            stdin.write("from-stdin\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(exec.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(exec.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(exec.exitValue()).isEqualTo(3);
        assertThat(out).contains("pid1=sleep", "from-stdin");
        assertThat(err).contains("oops");
        assertThatThrownBy(() -> f.runtime.exec(id, "nope", List.of("true"))).hasMessageContaining("no container 'nope'");
        f.runtime.stop(id, Duration.ZERO);
        f.awaitExit(id);
        assertThatThrownBy(() -> f.runtime.exec(id, "", List.of("true"))).isInstanceOf(SandboxException.class);
    }

    @Test
    void aRestartedInitContainerRunsAgainBeforeTheContainers() throws Exception {
        String id = f.start(PodSpec.newBuilder().setName("init").setRestart(RestartPolicy.RESTART_POLICY_ON_FAILURE).addVolumes(EMPTY_DIR)
                .addInitContainers(container("setup", "sh", "-c", "echo x >> /data/tries; [ $(wc -l < /data/tries) -ge 2 ]")
                        .addVolumeMounts(DATA))
                .addContainers(container("main", "sh", "-c", "echo tries=$(wc -l < /data/tries)").addVolumeMounts(DATA))
                .build());

        SandboxStatus status = f.awaitExit(id);

        assertThat(status.exitCode()).isZero();
        assertThat(f.log(id, "main")).contains("tries=2");
        assertThat(f.runtime.containers(id).get(0).restartCount()).isEqualTo(1);
        assertThat(MI).isPositive();
    }
}
