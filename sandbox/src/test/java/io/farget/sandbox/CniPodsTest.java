package io.farget.sandbox;

import static io.farget.sandbox.RuncFixture.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.PortMapping;
import io.farget.sandbox.net.CniSettings;
import io.farget.sandbox.net.TestNetns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods on a real CNI pod network (bridge, host-local, portmap), whose "host" side is a network
 * namespace this test makes without a default route: every address it sends to is checked to be
 * routed on that namespace's bridge first, so nothing can leave the machine.
 */
@Tag("runc")
class CniPodsTest {
    @TempDir
    Path data;
    private TestNetns netns;
    private RuncFixture f;

    @BeforeEach
    void setUp() throws IOException {
        netns = new TestNetns();
        f = new RuncFixture(data, c -> c.withCni(settings()));
    }

    private CniSettings settings() {
        return CniSettings.defaults(data.resolve("cni")).withBridge(netns.bridge).withSubnet(netns.subnet).inHostNetns(netns.name);
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (f != null) {
                f.close();
            }
            assertNoNetworkLeftovers();
        } finally {
            netns.close();
        }
    }

    private void assertNoNetworkLeftovers() throws IOException {
        assertThat(netns.veths()).as("veths left").isEmpty();
        assertThat(netns.podChains()).as("per-pod NAT chains left").isEmpty();
        assertThat(netns.natRules()).as("NAT rules of pods left").doesNotContain("id: \\\"");
        assertThat(leases()).as("address leases left").isEmpty();
        assertThat(files(data.resolve("cni/netns"))).as("namespace pins left").isEmpty();
    }

    private List<Path> leases() throws IOException {
        return files(data.resolve("cni/networks").resolve(CniSettings.NETWORK_NAME)).stream()
                .filter(p -> Character.isDigit(p.getFileName().toString().charAt(0))).toList();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static PodSpec server(String name, String reply, int hostPort) {
        PortMapping.Builder port = PortMapping.newBuilder().setContainerPort(8080).setHostPort(hostPort);
        return PodSpec.newBuilder().setName(name).addContainers(container("web", "busybox", "nc", "-ll", "-p", "8080", "-e", "echo", reply)
                .addPorts(port)).build();
    }

    @Test
    void podsReachEachOtherByAddressAndAPublishedPortIsReachedFromTheHost() throws Exception {
        int hostPort = ThreadLocalRandom.current().nextInt(20000, 30000);
        String web = f.start(server("web", "hello-from-web", hostPort));
        String address = f.runtime.address(web).orElseThrow();
        assertThat(address).startsWith(netns.subnet.substring(0, netns.subnet.lastIndexOf('.') + 1));
        netns.assertRoutedOnBridge(address);

        String client = f.start(PodSpec.newBuilder().setName("client").addContainers(container("main", "sh", "-c",
                "ip -o -4 addr show eth0 2>/dev/null || cat /proc/net/dev; for i in 1 2 3 4 5 6 7 8 9 10; do "
                        + "busybox nc -w 2 " + address + " 8080 && exit 0; sleep 0.2; done; exit 1")).build());

        assertThat(f.awaitExit(client).exitCode()).as(f.log(client, "main")).isZero();
        assertThat(f.log(client, "main")).contains("hello-from-web");
        assertThat(f.runtime.address(client)).isPresent().isNotEqualTo(f.runtime.address(web));

        netns.assertRoutedOnBridge("127.0.0.1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(netns.exec("busybox", "nc", "-w", "2", "127.0.0.1", String.valueOf(hostPort)).output())
                        .contains("hello-from-web"));
        assertThat(netns.natRules()).contains("--dport " + hostPort);

        f.runtime.stop(web, Duration.ZERO);
        f.awaitExit(web);
        assertThat(netns.natRules()).as("the pod ended: its host port is released at once").doesNotContain("--dport " + hostPort);
    }

    @Test
    void networkNoneHasOnlyLoopbackAndNoAddress() throws Exception {
        String none = f.start(PodSpec.newBuilder().setName("none").setNetwork("none")
                .addContainers(container("main", "cat", "/proc/net/dev")).build());
        String pod = f.start(PodSpec.newBuilder().setName("pod").addContainers(container("main", "cat", "/proc/net/dev")).build());

        f.awaitExit(none);
        f.awaitExit(pod);

        assertThat(interfaces(f.log(none, "main"))).containsExactly("lo");
        assertThat(f.runtime.address(none)).isEmpty();
        assertThat(interfaces(f.log(pod, "main"))).containsExactlyInAnyOrder("lo", "eth0");
    }

    private static List<String> interfaces(String procNetDev) {
        return procNetDev.lines().filter(l -> l.contains(":")).map(l -> l.substring(0, l.indexOf(':')).strip()).toList();
    }

    @Test
    void aRestartedAgentThatAdoptsARunningPodKnowsItsAddress() throws Exception {
        String pod = f.start(PodSpec.newBuilder().setName("keep").addContainers(container("main", "sleep", "60")).build());
        String address = f.runtime.address(pod).orElseThrow();

        f.runtime.close(); // the agent restarts; the pod runs on
        RuncRuntime next = new RuncRuntime(f.config);
        try {
            assertThat(next.adopt(pod)).isPresent();
            assertThat(next.address(pod)).contains(address);
        } finally {
            next.stop(pod, Duration.ZERO);
            await().atMost(Duration.ofSeconds(20)).until(() -> next.status(pod).map(s -> s.state() == SandboxStatus.State.EXITED).orElse(true));
            next.remove(pod);
            next.close();
        }
    }

    @Test
    void whatACrashedAgentLeftIsCollectedWhenTheNextOneStarts() throws Exception {
        int hostPort = ThreadLocalRandom.current().nextInt(30000, 40000);
        RuncConfig config = f.config;
        String web = f.start(server("web", "x", hostPort));
        assertThat(netns.podChains()).isNotEmpty();
        assertThat(leases()).hasSize(1);

        // The agent dies; its pod's processes die with the machine's other troubles, runc state and all.
        f.runtime.close();
        new io.farget.sandbox.runc.RuncCommand(config.runcBinary(), config.stateRoot()).deleteForce(web + "." + PodTranslator.PAUSE);
        new io.farget.sandbox.runc.RuncCommand(config.runcBinary(), config.stateRoot()).deleteForce(web + ".web");

        RuncRuntime next = new RuncRuntime(config);
        try {
            assertThat(leases()).as("leases of gone pods released").isEmpty();
            assertThat(netns.podChains()).as("NAT chains of gone pods removed").isEmpty();
            assertThat(netns.natRules()).doesNotContain("--dport " + hostPort);
        } finally {
            next.remove(web);
            next.close();
        }
    }

    /**
     * The namespace is made before the pause and wired by CNI while the pause starts: pods started
     * side by side each get their own working address, and their containers share a loopback that is
     * up (runc brings it up only in namespaces it makes itself).
     */
    @Test
    void podsOfThreeContainersStartedSideBySideEachGetAWorkingAddressAndLoopback() throws Exception {
        List<java.util.concurrent.Callable<String>> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String reply = "reply-" + i;
            starts.add(() -> f.start(PodSpec.newBuilder().setName("trio-" + reply)
                    .addContainers(container("web", "busybox", "nc", "-ll", "-p", "8080", "-e", "echo", reply))
                    .addContainers(container("probe", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do "
                            + "busybox nc -w 2 127.0.0.1 8080 && exit 0; sleep 0.2; done; exit 1"))
                    .addContainers(container("idle", "sleep", "60")).build()));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<String> pods = new java.util.ArrayList<>();
        try {
            for (var started : pool.invokeAll(starts)) {
                pods.add(started.get());
            }
        } finally {
            pool.shutdownNow();
        }

        java.util.Set<String> addresses = new java.util.HashSet<>();
        for (int i = 0; i < pods.size(); i++) {
            String pod = pods.get(i);
            String address = f.runtime.address(pod).orElseThrow();
            addresses.add(address);
            netns.assertRoutedOnBridge(address);
            String reply = "reply-" + i;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(netns.exec("busybox", "nc", "-w", "2", address, "8080").output()).contains(reply));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(f.log(pod, "probe")).as("loopback shared and up").contains(reply));
        }
        assertThat(addresses).hasSize(3);
        assertThat(files(data.resolve("cni/netns"))).hasSize(3);
        for (String pod : pods) {
            f.runtime.stop(pod, Duration.ZERO);
            f.awaitExit(pod);
        }
        assertThat(files(data.resolve("cni/netns"))).as("each pod's namespace goes when it ends").isEmpty();
        assertThat(leases()).as("and its address").isEmpty();
    }

    /** CNI ADD fails while the pause starts beside it: the start fails and leaves nothing behind. */
    @Test
    void aFailedCniAddWhileThePauseStartsLeavesNothingBehind() throws Exception {
        Path plugins = Files.createDirectories(data.resolve("broken-plugins"));
        for (String type : List.of("bridge", "portmap")) {
            Path plugin = plugins.resolve(type);
            Files.writeString(plugin, "#!/bin/sh\n[ \"$CNI_COMMAND\" = DEL ] && exit 0\nsleep 0.2\n"
                    + "echo '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no bridge today\"}'\nexit 1\n");
            plugin.toFile().setExecutable(true);
        }
        CniSettings ok = settings();
        CniSettings broken = new CniSettings(plugins, ok.stateDir().resolveSibling("cni-broken"), ok.bridge(), ok.subnet(),
                ok.hostPortAddress(), ok.hostNetns());
        try (RuncFixture brokenFixture = new RuncFixture(data.resolve("broken"), c -> c.withCni(broken))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> brokenFixture.start(PodSpec.newBuilder().setName("doomed")
                            .addContainers(container("main", "sleep", "60")).build()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("no bridge today");
            assertThat(brokenFixture.runtime.list()).as("no runc state, no bundle").isEmpty();
            assertThat(files(broken.stateDir().resolve("netns"))).as("no namespace pin").isEmpty();
            assertThat(files(broken.stateDir().resolve("pods"))).as("no CNI record").isEmpty();
            assertThat(files(Path.of("/sys/fs/cgroup/pids", brokenFixture.parent))).as("no pod cgroup")
                    .noneMatch(Files::isDirectory);
        }
    }
}
