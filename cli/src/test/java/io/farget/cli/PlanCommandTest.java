package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.farget.cli.support.Cli;
import io.farget.cli.support.FakeScheduler;
import io.farget.proto.v1.HostScoreInfo;
import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.PlanPodRequest;
import io.farget.proto.v1.PlanPodResponse;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    private static final String SPEC = """
            name: train
            priority: 50
            nodeSelector: [{key: zone, operator: NotIn, values: [c]}, {key: ssd, operator: Exists}]
            gpuModels: [T4]
            spread: {labelKey: app, maxPerHost: 2}
            antiAffinity: {app: db}
            labels: {app: train}
            containers:
              - command: [python, train.py]
                resources: {cpu: 2, memory: 1Gi, gpuMilli: 250, ephemeralStorage: 10Gi, extended: {example.com/fpga: 1}}
            """;

    @TempDir
    Path dir;

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
    void sendsThePlacementFieldsAndPrintsTheBestNodes() throws IOException {
        Path file = Files.writeString(dir.resolve("pod.yaml"), SPEC);
        scheduler.planAnswer = PlanPodResponse.newBuilder().setNodeId("node-2")
                .addHosts(HostScoreInfo.newBuilder().setNodeId("node-2").setTotal(0.61).putByScorer("fragmentation", 0.6))
                .addHosts(HostScoreInfo.newBuilder().setNodeId("node-1").setTotal(0.4).putByScorer("fragmentation", 0.39))
                .build();

        Cli.Result table = Cli.against(scheduler.address(), "plan", "-f", file.toString());
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).startsWith("would be placed on node-2\n").contains("FRAGMENTATION").contains("0.6100");

        PodSpec spec = scheduler.requestsOf(PlanPodRequest.class).get(0).getSpec();
        assertThat(spec.getPriority()).isEqualTo(50);
        assertThat(spec.getNodeSelectorList()).extracting(LabelSelector::getOperator)
                .containsExactly(LabelSelector.Operator.OPERATOR_NOT_IN, LabelSelector.Operator.OPERATOR_EXISTS);
        assertThat(spec.getGpuModelsList()).containsExactly("T4");
        assertThat(spec.getSpread().getMaxPerHost()).isEqualTo(2);
        assertThat(spec.getAntiAffinity(0).getValuesList()).containsExactly("db");
        Resources r = spec.getContainers(0).getResources();
        assertThat(r.getCpuMillis()).isEqualTo(2000);
        assertThat(r.getGpuMilli()).isEqualTo(250);
        assertThat(r.getEphemeralStorageBytes()).isEqualTo(10L << 30);
        assertThat(r.getExtendedMap()).containsEntry("example.com/fpga", 1L);
    }

    @Test
    void printsWhyNowhereAsJson() throws IOException {
        Path file = Files.writeString(dir.resolve("pod.yaml"), SPEC);
        scheduler.planAnswer = PlanPodResponse.newBuilder().setExplanation("0/2 nodes available: 2 insufficient gpu").build();

        Cli.Result json = Cli.against(scheduler.address(), "plan", "-f", file.toString(), "-o", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.stdout()).contains("\"node\": null").contains("\"reason\": \"0/2 nodes available: 2 insufficient gpu\"");
    }
}
