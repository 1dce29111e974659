package io.farget.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.common.PodIds;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime closed without removing its pods (an agent that died) and a new one on the same folders:
 * the new one adopts the pods without restarting them, and learns the real exit codes of those that
 * ended in between, because each container's shim, not the agent, waited for it.
 */
@Tag("runc")
class RuncAdoptionTest {
    @TempDir
    Path data;
    private final String parent = "farget-test-" + PodIds.newId();
    private final List<String> started = new ArrayList<>();
    private final Map<String, SandboxStatus> exits = new ConcurrentHashMap<>();
    private final Map<String, Integer> exitCounts = new ConcurrentHashMap<>();
    private RuncConfig config;
    private RuncRuntime first;
    private RuncRuntime second;

    @BeforeEach
    void setUp() {
        config = RuncConfig.defaults(data).withCgroupParent(parent).withPidsLimit(64);
        first = new RuncRuntime(config);
    }

    @AfterEach
    void tearDown() throws IOException {
        RuncRuntime last = second != null ? second : first;
        try {
            for (String id : started) {
                last.remove(id);
            }
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            last.cgroups().remove("/" + parent);
        }
    }

    private SandboxRequest request(PodSpec.Builder spec) {
        String id = PodIds.newId();
        started.add(id);
        return new SandboxRequest(id, 3, spec.setName("adopt-me").build());
    }

    private RuncRuntime restart() {
        first.close(); // the agent dies: nothing is stopped
        second = new RuncRuntime(config);
        second.onExit((id, status) -> {
            exits.put(id, status);
            exitCounts.merge(id, 1, Integer::sum);
        });
        return second;
    }

    private RuncState runcState(String runcId) throws IOException {
        return new RuncCommand(config.runcBinary(), config.stateRoot()).state(runcId).orElseThrow();
    }

    @Test
    void aRunningPodIsAdoptedWithoutARestartAndItsLaterExitIsReported() throws Exception {
        SandboxRequest request = request(PodSpec.newBuilder()
                .addContainers(RuncFixture.container("main", "sh", "-c", "while [ ! -e /tmp/stop ]; do sleep 0.05; done; exit 3")));
        first.start(request);
        int pidBefore = runcState(request.podId()).pid();

        RuncRuntime runtime = restart();
        assertThat(runtime.list()).contains(request.podId());
        assertThat(runtime.adopt(request.podId())).contains(request);
        assertThat(runtime.status(request.podId())).get().extracting(SandboxStatus::state).isEqualTo(SandboxStatus.State.RUNNING);
        assertThat(runcState(request.podId()).pid()).isEqualTo(pidBefore);
        assertThat(runtime.stats(request.podId())).isPresent();

        try (var touch = runtime.exec(request.podId(), "", List.of("touch", "/tmp/stop")).onExit().join().getInputStream()) {
            touch.readAllBytes();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey(request.podId()));
        assertThat(exits.get(request.podId()).exitCode()).isEqualTo(3);
        assertThat(exitCounts.get(request.podId())).isEqualTo(1);
    }

    @Test
    void anExitWhileNobodyWatchedIsReportedWithItsRealCode() throws Exception {
        SandboxRequest request = request(PodSpec.newBuilder()
                .addContainers(RuncFixture.container("main", "sh", "-c", "sleep 0.3; exit 42")));
        first.start(request);
        first.close();
        RuncCommand runc = new RuncCommand(config.runcBinary(), config.stateRoot());
        await().atMost(Duration.ofSeconds(10)).until(() -> runc.state(request.podId()).map(s -> !s.running()).orElse(true));

        RuncRuntime runtime = restart();
        assertThat(runtime.adopt(request.podId())).contains(request);
        await().atMost(Duration.ofSeconds(5)).until(() -> exits.containsKey(request.podId()));
        SandboxStatus status = exits.get(request.podId());
        assertThat(status.exitCode()).isEqualTo(42);
        assertThat(status.startedAt()).isNotNull();
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
        assertThat(runtime.status(request.podId())).contains(status);
        assertThat(exitCounts.get(request.podId())).isEqualTo(1);
    }

    @Test
    void aMultiContainerPodKeepsItsPauseAndRunningContainers() throws Exception {
        SandboxRequest request = request(PodSpec.newBuilder().setRestart(RestartPolicy.RESTART_POLICY_NEVER)
                .addContainers(RuncFixture.container("server", "sleep", "30"))
                .addContainers(RuncFixture.container("quick", "sh", "-c", "exit 5")));
        first.start(request);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.containers(request.podId()).get(1).exited());
        int serverPid = runcState(request.podId() + ".server").pid();

        RuncRuntime runtime = restart();
        assertThat(runtime.adopt(request.podId())).isPresent();
        List<ContainerRuntimeStatus> containers = runtime.containers(request.podId());
        assertThat(containers.get(0).running()).isTrue();
        assertThat(containers.get(1).exitCode()).isEqualTo(5);
        assertThat(runcState(request.podId() + ".server").pid()).isEqualTo(serverPid);

        runtime.stop(request.podId(), Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).until(() -> exits.containsKey(request.podId()));
        assertThat(exits.get(request.podId()).exitCode()).isNotZero();
    }

    @Test
    void aPodWithoutALaunchRecordIsNotAdopted() {
        assertThat(first.adopt("no-such-pod")).isEmpty();
    }
}
