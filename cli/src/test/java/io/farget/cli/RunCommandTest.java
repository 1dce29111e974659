package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.support.Cli;
import io.farget.cli.support.FakeScheduler;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.RestartPolicy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunCommandTest {
    private FakeScheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        scheduler = FakeScheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.close();
    }

    @Test
    void submitsThePodItWasToldAndPrintsItsId() {
        Cli.Result result = Cli.run(Map.of(), "run", "--server", scheduler.address(), "--name", "hello",
                "--cpu", "0.5", "--memory", "256Mi", "--arch", "aarch64", "--image", "127.0.0.1:5000/demo/busybox:1",
                "--env", "GREETING=hi", "-e", "EMPTY=", "--env", "EQ=a=b", "--restart", "on-failure",
                "--", "sh", "-c", "echo $GREETING");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FakeScheduler.POD_ID + "\n");
        assertThat(result.stderr()).isEmpty();
        CreatePodRequest request = scheduler.requestsOf(CreatePodRequest.class).get(0);
        assertThat(UUID.fromString(request.getRequestId())).isNotNull();
        PodSpec spec = request.getSpec();
        assertThat(spec.getName()).isEqualTo("hello");
        assertThat(spec.getArch()).isEqualTo(Arch.ARCH_AARCH64);
        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        ContainerSpec container = spec.getContainers(0);
        assertThat(container.getCommandList()).containsExactly("sh", "-c", "echo $GREETING");
        assertThat(container.getImage()).isEqualTo("127.0.0.1:5000/demo/busybox:1");
        assertThat(container.getEnvMap()).containsOnly(Map.entry("GREETING", "hi"), Map.entry("EMPTY", ""), Map.entry("EQ", "a=b"));
        assertThat(container.getResources().getCpuMillis()).isEqualTo(500);
        assertThat(container.getResources().getMemoryBytes()).isEqualTo(256L << 20);
    }

    @Test
    void fillsInDefaultsAndNamesThePodAfterItsCommand() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "--", "/bin/sh", "-c", "true");

        assertThat(result.exitCode()).isZero();
        PodSpec spec = scheduler.requestsOf(CreatePodRequest.class).get(0).getSpec();
        assertThat(spec.getName()).isEqualTo("sh");
        assertThat(spec.getArch()).isEqualTo(Arch.ARCH_ANY);
        assertThat(spec.getRestart()).isEqualTo(RestartPolicy.RESTART_POLICY_NEVER);
        assertThat(spec.getContainers(0).getResources().getCpuMillis()).isEqualTo(250);
        assertThat(spec.getContainers(0).getResources().getMemoryBytes()).isEqualTo(128L << 20);
        assertThat(spec.getContainers(0).getImage()).isEmpty();
    }

    @Test
    void takesTheCommandWithoutDashDashToo() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "--cpu", "250m", "sleep", "-x", "10");

        assertThat(result.exitCode()).isZero();
        ContainerSpec container = scheduler.requestsOf(CreatePodRequest.class).get(0).getSpec().getContainers(0);
        assertThat(container.getCommandList()).containsExactly("sleep", "-x", "10");
        assertThat(container.getResources().getCpuMillis()).isEqualTo(250);
    }

    @Test
    void printsThePodAsJsonWhenAsked() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "-o", "json", "--", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("{").contains("\"id\": \"" + FakeScheduler.POD_ID + "\"");
    }

    @Test
    void countCreatesThatManyIdenticalPodsInOneCallAndPrintsEveryId() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "--count", "3", "--name", "worker", "--cpu", "0.5",
                "--", "sleep", "600");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(FakeScheduler.batchPodId(0) + "\n" + FakeScheduler.batchPodId(1) + "\n"
                + FakeScheduler.batchPodId(2) + "\n");
        assertThat(scheduler.requestsOf(CreatePodRequest.class)).isEmpty();
        CreatePodsRequest batch = scheduler.requestsOf(CreatePodsRequest.class).get(0);
        assertThat(batch.getPodsList()).hasSize(3).allSatisfy(item -> {
            assertThat(item.getSpec()).isEqualTo(batch.getPods(0).getSpec());
            assertThat(item.getSpec().getName()).isEqualTo("worker");
            assertThat(item.getSpec().getContainers(0).getCommandList()).containsExactly("sleep", "600");
            assertThat(item.getSpec().getContainers(0).getResources().getCpuMillis()).isEqualTo(500);
        });
        List<String> requestIds = batch.getPodsList().stream().map(CreatePodRequest::getRequestId).toList();
        assertThat(requestIds).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotEmpty());
    }

    @Test
    void countPrintsAJsonArrayOfThePodsWhenAsked() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "--count", "2", "-o", "json", "--", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("[").endsWith("]\n")
                .contains("\"id\": \"" + FakeScheduler.batchPodId(0) + "\"")
                .contains("\"id\": \"" + FakeScheduler.batchPodId(1) + "\"");
        assertThat(result.stdout().indexOf(FakeScheduler.batchPodId(0)))
                .isLessThan(result.stdout().indexOf(FakeScheduler.batchPodId(1)));
    }

    @Test
    void aCountOutsideOneToAThousandIsAUsageErrorAndSendsNothing() {
        for (String bad : List.of("0", "-1", "1001", "many")) {
            Cli.Result result = Cli.against(scheduler.address(), "run", "--count", bad, "--", "true");

            assertThat(result.exitCode()).as(bad).isEqualTo(2);
            assertThat(result.stderr()).as(bad).contains("--count").contains(bad);
        }
        assertThat(Cli.against(scheduler.address(), "run", "--count", "1000", "--", "true").exitCode()).isZero();
        assertThat(scheduler.requestsOf(CreatePodsRequest.class)).singleElement()
                .satisfies(batch -> assertThat(batch.getPodsCount()).isEqualTo(1000));
    }

    @Test
    void aBadSizeIsAUsageErrorNamingTheFlagAndSendsNothing() {
        Cli.Result result = Cli.against(scheduler.address(), "run", "--memory", "12XB", "--", "true");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("--memory").contains("12XB").contains("farget run --help");
        assertThat(scheduler.requests).isEmpty();
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(Cli.run("run", "--cpu", "lots", "--", "true").exitCode()).isEqualTo(2);
        assertThat(Cli.run("run", "--arch", "sparc", "--", "true").exitCode()).isEqualTo(2);
        assertThat(Cli.run("run", "--restart", "sometimes", "--", "true").exitCode()).isEqualTo(2);
        assertThat(Cli.run("run", "--env", "NOVALUE", "--", "true").exitCode()).isEqualTo(2);
        assertThat(Cli.run("run").exitCode()).isEqualTo(2);
        assertThat(Cli.run("run", "--bogus", "--", "true").exitCode()).isEqualTo(2);
        assertThat(Cli.run("ps", "-o", "xml").exitCode()).isEqualTo(2);
        assertThat(Cli.run("ps", "--server", "nonsense").exitCode()).isEqualTo(2);
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
        assertThat(scheduler.requests).isEmpty();
    }
}
