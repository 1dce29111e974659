package io.farget.sandbox;

import static org.awaitility.Awaitility.await;

import io.farget.common.PodIds;
import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** A real runc runtime under a test's own cgroup parent, that removes every pod it started and the parent. */
final class RuncFixture implements AutoCloseable {
    static final long MI = 1L << 20;
    final String parent = "farget-test-" + PodIds.newId();
    final RuncConfig config;
    final RuncRuntime runtime;
    final Map<String, SandboxStatus> exits = new ConcurrentHashMap<>();
    final Map<String, Integer> exitCounts = new ConcurrentHashMap<>();
    private final List<String> started = java.util.Collections.synchronizedList(new ArrayList<>()); // tests start pods side by side

    RuncFixture(Path data, UnaryOperator<RuncConfig> tune) {
        config = tune.apply(RuncConfig.defaults(data).withCgroupParent(parent).withPidsLimit(64));
        runtime = new RuncRuntime(config);
        runtime.onExit((id, status) -> {
            exits.put(id, status);
            exitCounts.merge(id, 1, Integer::sum);
        });
    }

    static ContainerSpec.Builder container(String name, String... command) {
        return ContainerSpec.newBuilder().setName(name).addAllCommand(List.of(command))
                .setResources(Resources.newBuilder().setCpuMillis(200).setMemoryBytes(32 * MI));
    }

    String start(PodSpec spec) throws SandboxException {
        String id = PodIds.newId();
        started.add(id);
        runtime.start(new SandboxRequest(id, 1, spec));
        return id;
    }

    SandboxStatus awaitExit(String id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> exits.containsKey(id));
        return exits.get(id);
    }

    String log(String id, String container) throws IOException {
        Path file = runtime.logFile(id, container);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws IOException {
        try {
            for (String id : List.copyOf(started)) {
                runtime.remove(id);
            }
        } finally {
            runtime.close();
            runtime.cgroups().remove("/" + parent);
        }
    }
}
