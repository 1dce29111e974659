package io.farget.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.farget.cli.support.Cli;
import io.farget.cli.support.FakeScheduler;
import io.farget.common.Timestamps;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.ClusterStatus;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.ContainerState;
import io.farget.proto.v1.ContainerStatus;
import io.farget.proto.v1.GetLogsRequest;
import io.farget.proto.v1.Node;
import io.farget.proto.v1.NodeState;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PodStatus;
import io.farget.proto.v1.ContainerUsage;
import io.farget.proto.v1.PodUsage;
import io.farget.proto.v1.PodUsageRecord;
import io.farget.proto.v1.Resources;
import io.farget.proto.v1.SchedulerInfo;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadCommandsTest {
    private static final String RFC_3339_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    private static final Instant CREATED = Instant.parse("2026-11-28T15:20:31.123Z");

    private final ObjectMapper json = new ObjectMapper();
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
    void getPrintsEveryContractFieldWithItsType() throws Exception {
        scheduler.pods.put("finishedpod1", finishedPod("finishedpod1"));

        Cli.Result result = Cli.against(scheduler.address(), "get", "finishedpod1", "-o", "json");

        assertThat(result.exitCode()).isZero();
        JsonNode pod = json.readTree(result.stdout());
        assertThat(pod.isObject()).isTrue();
        assertThat(pod.get("id").asText()).isEqualTo("finishedpod1");
        assertThat(pod.get("name").asText()).isEqualTo("web");
        assertThat(pod.get("phase").asText()).isEqualTo("FAILED");
        assertThat(pod.get("node").asText()).isEqualTo("node-1");
        assertThat(pod.get("reason").asText()).isEqualTo("OOMKilled");
        assertThat(pod.get("exitCode").isInt()).isTrue();
        assertThat(pod.get("exitCode").asInt()).isEqualTo(137);
        assertThat(pod.get("createdAt").asText()).isEqualTo("2026-11-28T15:20:31.123Z");
        assertThat(pod.get("startedAt").asText()).matches(RFC_3339_UTC);
        assertThat(pod.get("finishedAt").asText()).matches(RFC_3339_UTC);
        assertThat(pod.get("resources").get("cpu").isNumber()).isTrue();
        assertThat(pod.get("resources").get("cpu").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(pod.get("resources").get("memoryBytes").isIntegralNumber()).isTrue();
        assertThat(pod.get("resources").get("memoryBytes").asLong()).isEqualTo(96L << 20);
        assertThat(pod.get("arch").asText()).isEqualTo("x86_64");
        assertThat(pod.get("restart").asText()).isEqualTo("never");
        assertThat(pod.get("labels").get("app").asText()).isEqualTo("web");
        assertThat(pod.get("attempt").asInt()).isEqualTo(1);
        JsonNode containers = pod.get("containers");
        assertThat(containers.isArray()).isTrue();
        assertThat(containers.get(0).get("name").asText()).isEqualTo("server");
        assertThat(containers.get(0).get("state").asText()).isEqualTo("EXITED");
        assertThat(containers.get(0).get("exitCode").asInt()).isEqualTo(137);
        assertThat(containers.get(1).get("state").asText()).isEqualTo("WAITING");
        assertThat(containers.get(1).get("exitCode").isNull()).isTrue();
    }

    @Test
    void aPendingPodHasNullsWhereNothingHappenedYet() throws Exception {
        scheduler.pods.put("pendingpod12", pendingPod("pendingpod12"));

        JsonNode pod = json.readTree(Cli.against(scheduler.address(), "get", "pendingpod12", "-o", "json").stdout());

        assertThat(pod.get("phase").asText()).isEqualTo("PENDING");
        assertThat(pod.get("reason").asText()).isEqualTo("0/1 nodes: 1 insufficient memory");
        for (String field : new String[] {"node", "exitCode", "startedAt", "finishedAt"}) {
            assertThat(pod.has(field)).as(field).isTrue();
            assertThat(pod.get(field).isNull()).as(field).isTrue();
        }
        assertThat(pod.get("resources").get("cpu").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(pod.get("resources").get("cpu").toString()).isEqualTo("0.25");
    }

    @Test
    void getWithoutJsonPrintsATableWithTheReason() {
        scheduler.pods.put("pendingpod12", pendingPod("pendingpod12"));

        Cli.Result result = Cli.against(scheduler.address(), "get", "pendingpod12");

        assertThat(result.stdout().lines().findFirst().orElseThrow()).startsWith("ID").contains("PHASE").contains("REASON");
        assertThat(result.stdout()).contains("pendingpod12").contains("0/1 nodes: 1 insufficient memory");
    }

    @Test
    void psListsPodsAsAJsonArrayOldestFirst() throws Exception {
        scheduler.pods.put("finishedpod1", finishedPod("finishedpod1"));
        scheduler.pods.put("pendingpod12", pendingPod("pendingpod12"));

        Cli.Result result = Cli.against(scheduler.address(), "ps", "-o", "json");

        assertThat(result.exitCode()).isZero();
        JsonNode pods = json.readTree(result.stdout());
        assertThat(pods.isArray()).isTrue();
        assertThat(pods).extracting(p -> p.get("id").asText()).containsExactly("pendingpod12", "finishedpod1");
    }

    @Test
    void psFiltersByPhase() {
        Cli.Result result = Cli.against(scheduler.address(), "ps", "--phase", "running", "--phase", "PENDING");

        assertThat(result.exitCode()).isZero();
        assertThat(scheduler.requestsOf(io.farget.proto.v1.ListPodsRequest.class).get(0).getPhasesList())
                .containsExactly(PodPhase.POD_PHASE_RUNNING, PodPhase.POD_PHASE_PENDING);
        assertThat(Cli.against(scheduler.address(), "ps", "--phase", "sleeping").exitCode()).isEqualTo(2);
    }

    @Test
    void theServerFlagWinsOverTheEnvironment() {
        Cli.Result result = Cli.run(java.util.Map.of("FARGET_SERVER", "127.0.0.1:1"), "ps", "--server", scheduler.address());

        assertThat(result.exitCode()).isZero();
        assertThat(scheduler.requests).hasSize(1);
    }

    @Test
    void psOfNothingIsAnEmptyArray() throws Exception {
        JsonNode pods = json.readTree(Cli.against(scheduler.address(), "ps", "-o", "json").stdout());

        assertThat(pods.isArray()).isTrue();
        assertThat(pods).isEmpty();
    }

    @Test
    void psPrintsAnAlignedTable() {
        scheduler.pods.put("finishedpod1", finishedPod("finishedpod1"));

        String[] lines = Cli.against(scheduler.address(), "ps").stdout().split("\n");

        assertThat(lines[0]).matches("ID +NAME +PHASE +NODE +CPU +MEMORY +AGE +EXIT");
        assertThat(lines[1]).startsWith("finishedpod1").contains("FAILED").contains("node-1").contains("0.35")
                .contains("96Mi").endsWith("137");
        assertThat(lines[1].indexOf("FAILED")).isEqualTo(lines[0].indexOf("PHASE"));
    }

    @Test
    void logsPrintsTheBytesAsTheyCame() {
        scheduler.pods.put("finishedpod1", finishedPod("finishedpod1"));
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 0, '\n'};
        scheduler.logChunks.add(ByteString.copyFromUtf8("hello\n"));
        scheduler.logChunks.add(ByteString.copyFrom(notUtf8));

        Cli.Result result = Cli.against(scheduler.address(), "logs", "finishedpod1", "--container", "client", "-f");

        assertThat(result.exitCode()).isZero();
        byte[] expected = new byte[6 + notUtf8.length];
        System.arraycopy("hello\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, 0, 6);
        System.arraycopy(notUtf8, 0, expected, 6, notUtf8.length);
        assertThat(result.stdoutBytes()).isEqualTo(expected);
        GetLogsRequest request = scheduler.requestsOf(GetLogsRequest.class).get(0);
        assertThat(request.getContainer()).isEqualTo("client");
        assertThat(request.getFollow()).isTrue();
    }

    @Test
    void logsOfAnUnknownPodFailsBeforePrintingAnything() {
        Cli.Result result = Cli.against(scheduler.address(), "logs", "nosuchpod123");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("error: pod nosuchpod123 not found\n");
    }

    @Test
    void nodesPrintsCapacityAndAllocation() throws Exception {
        scheduler.nodes.add(Node.newBuilder()
                .setId("node-1").setHostname("alpha").setArch(Arch.ARCH_AARCH64).setState(NodeState.NODE_STATE_READY)
                .setCapacity(Resources.newBuilder().setCpuMillis(2000).setMemoryBytes(4L << 30))
                .setAllocated(Resources.newBuilder().setCpuMillis(500).setMemoryBytes(256L << 20))
                .setPodCount(2).setAgentVersion("0.1.0")
                .setLastHeartbeatAt(Timestamps.of(CREATED))
                .build());

        JsonNode nodes = json.readTree(Cli.against(scheduler.address(), "nodes", "-o", "json").stdout());
        String table = Cli.against(scheduler.address(), "nodes").stdout();

        assertThat(nodes.isArray()).isTrue();
        JsonNode node = nodes.get(0);
        assertThat(node.get("id").asText()).isEqualTo("node-1");
        assertThat(node.get("hostname").asText()).isEqualTo("alpha");
        assertThat(node.get("arch").asText()).isEqualTo("aarch64");
        assertThat(node.get("state").asText()).isEqualTo("READY");
        assertThat(node.get("capacity").get("cpu").toString()).isEqualTo("2");
        assertThat(node.get("capacity").get("memoryBytes").asLong()).isEqualTo(4L << 30);
        assertThat(node.get("allocated").get("cpu").toString()).isEqualTo("0.5");
        assertThat(node.get("podCount").asInt()).isEqualTo(2);
        assertThat(node.get("lastHeartbeatAt").asText()).isEqualTo("2026-11-28T15:20:31.123Z");
        assertThat(table).contains("CPU(alloc/cap)").contains("0.5/2").contains("256Mi/4Gi");
    }

    @Test
    void usageBillsAtLeastAMinute() throws Exception {
        scheduler.usage.add(usageRecord("shortpod1234", 20));
        scheduler.usage.add(usageRecord("longpod12345", 90));

        JsonNode shortPod = json.readTree(Cli.against(scheduler.address(), "usage", "shortpod1234", "-o", "json").stdout());
        JsonNode all = json.readTree(Cli.against(scheduler.address(), "usage", "-o", "json").stdout());

        assertThat(shortPod.isObject()).isTrue();
        assertThat(shortPod.get("podId").asText()).isEqualTo("shortpod1234");
        assertThat(shortPod.get("billedVcpuSeconds").decimalValue()).isEqualByComparingTo("60");
        assertThat(shortPod.get("billedGbSeconds").decimalValue()).isEqualByComparingTo("30");
        assertThat(shortPod.get("cpuSeconds").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(shortPod.get("peakMemoryBytes").asLong()).isEqualTo(100L << 20);
        assertThat(shortPod.get("memoryByteSeconds").asLong()).isEqualTo(2_000_000_000L);
        assertThat(shortPod.get("cost").isNumber()).isTrue();
        assertThat(shortPod.get("memoryHighWaterBytes").asLong()).isEqualTo(120L << 20);
        JsonNode web = shortPod.get("containers").get(0);
        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("cpuSeconds").decimalValue()).isEqualByComparingTo("10");
        assertThat(web.get("peakMemoryBytes").asLong()).isEqualTo(80L << 20);
        assertThat(web.get("memoryHighWaterBytes").asLong()).isEqualTo(90L << 20);
        assertThat(web.get("memoryByteSeconds").asLong()).isEqualTo(1_500_000_000L);
        assertThat(shortPod.get("containers").get(1).get("name").asText()).isEqualTo("sidecar");
        assertThat(all.isArray()).isTrue();
        assertThat(all.get(1).get("billedVcpuSeconds").decimalValue()).isEqualByComparingTo("90");
    }

    @Test
    void statusSaysWhoLeads() throws Exception {
        scheduler.status = ClusterStatus.newBuilder()
                .setLeader("127.0.0.1:7070").setZookeeper("ok").setLeaderEpoch(3)
                .addSchedulers(SchedulerInfo.newBuilder().setAddress("127.0.0.1:7070").setRole("leader"))
                .addSchedulers(SchedulerInfo.newBuilder().setAddress("127.0.0.1:7071").setRole("standby"))
                .putNodesByState("READY", 2)
                .putPodsByPhase("POD_PHASE_RUNNING", 4)
                .build();

        JsonNode status = json.readTree(Cli.against(scheduler.address(), "status", "-o", "json").stdout());

        assertThat(status.get("leader").asText()).isEqualTo("127.0.0.1:7070");
        assertThat(status.get("zookeeper").asText()).isEqualTo("ok");
        assertThat(status.get("schedulers").get(1).get("role").asText()).isEqualTo("standby");
        assertThat(status.get("nodes").get("READY").asInt()).isEqualTo(2);
        assertThat(status.get("pods").get("RUNNING").asInt()).isEqualTo(4);
        assertThat(status.get("epoch").asLong()).isEqualTo(3);
        assertThat(Cli.against(scheduler.address(), "status").stdout()).contains("127.0.0.1:7071 standby");
    }

    private static PodUsageRecord usageRecord(String podId, long ranSeconds) {
        Instant started = CREATED.plusSeconds(1);
        return PodUsageRecord.newBuilder()
                .setPodId(podId).setPodName("job").setNodeId("node-1").setArch(Arch.ARCH_X86_64)
                .setReserved(Resources.newBuilder().setCpuMillis(1000).setMemoryBytes(512L << 20))
                .setUsage(PodUsage.newBuilder().setCpuNanos(12_500_000_000L).setPeakMemoryBytes(100L << 20)
                        .setMemoryHighWaterBytes(120L << 20).setMemoryByteSeconds(2_000_000_000L)
                        .addContainers(ContainerUsage.newBuilder().setName("web").setCpuNanos(10_000_000_000L)
                                .setPeakMemoryBytes(80L << 20).setMemoryHighWaterBytes(90L << 20).setMemoryByteSeconds(1_500_000_000L))
                        .addContainers(ContainerUsage.newBuilder().setName("sidecar").setCpuNanos(2_500_000_000L)))
                .setStartedAt(Timestamps.of(started))
                .setFinishedAt(Timestamps.of(started.plusSeconds(ranSeconds)))
                .build();
    }

    private static PodSpec webSpec() {
        return PodSpec.newBuilder()
                .setName("web").setArch(Arch.ARCH_X86_64).putLabels("app", "web")
                .addContainers(ContainerSpec.newBuilder().setName("server").addCommand("httpd")
                        .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryBytes(64L << 20)))
                .addContainers(ContainerSpec.newBuilder().setName("client").addCommand("nc")
                        .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryBytes(32L << 20)))
                .build();
    }

    private static Pod finishedPod(String id) {
        return Pod.newBuilder().setId(id).setSpec(webSpec())
                .setStatus(PodStatus.newBuilder()
                        .setPhase(PodPhase.POD_PHASE_FAILED).setNodeId("node-1").setReason("OOMKilled")
                        .setHasExitCode(true).setExitCode(137).setAttempt(1)
                        .setCreatedAt(Timestamps.of(CREATED))
                        .setStartedAt(Timestamps.of(CREATED.plusMillis(1500)))
                        .setFinishedAt(Timestamps.of(CREATED.plusSeconds(30)))
                        .addContainers(ContainerStatus.newBuilder().setName("server")
                                .setState(ContainerState.CONTAINER_STATE_EXITED).setHasExitCode(true).setExitCode(137)
                                .setReason("OOMKilled")))
                .build();
    }

    private static Pod pendingPod(String id) {
        return Pod.newBuilder().setId(id)
                .setSpec(PodSpec.newBuilder().setName("big").addContainers(ContainerSpec.newBuilder().setName("main")
                        .addCommand("true").setResources(Resources.newBuilder().setCpuMillis(250).setMemoryBytes(1L << 40))))
                .setStatus(PodStatus.newBuilder().setPhase(PodPhase.POD_PHASE_PENDING)
                        .setReason("0/1 nodes: 1 insufficient memory")
                        .setCreatedAt(Timestamps.of(CREATED.minusSeconds(5))))
                .build();
    }
}
