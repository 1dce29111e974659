package io.farget.agent.bootstrap;

import io.farget.agent.connect.Dialer;
import io.farget.agent.connect.LeaderSource;
import io.farget.agent.task.PodPolicy;
import io.farget.proto.v1.Arch;
import io.farget.proto.v1.GpuInfo;
import io.farget.proto.v1.Resources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything an agent is started with. Nullable fields mean "not set": {@code zkConnect} (then
 * {@code schedulers} is used), the overrides (then the host is measured) and the executors (then the
 * agent owns small ones). Hollow agents set the overrides and share one timer and worker pool.
 *
 * @param dataDir where the node id and the checkpoint live
 * @param zkConnect ZooKeeper connect string to find the leader with, or null
 * @param schedulers HOST:PORT of scheduler replicas, tried in turn when there is no ZooKeeper
 * @param reserveCpuMillis CPU kept back for the host and the agent
 * @param reserveMemoryBytes memory kept back for the host and the agent
 * @param nodeId override of the stored node id, or null
 * @param hostname override of the measured hostname, or null
 * @param arch override of the host's architecture, or null
 * @param capacity override of what pods may use (taken as is: the reserve is not subtracted), or null
 * @param clock time source for reports, usage integration and retention
 * @param timer shared timer (not shut down by the agent), or null
 * @param workers shared worker pool (not shut down by the agent), or null
 * @param podPolicy kill grace and retention of finished pods
 * @param labels the node's labels for placement selectors (agent flag {@code --label k=v})
 * @param leaderSource where to find the leader, shared by many hollow agents (the agent's close only
 *        unsubscribes it), or null to use {@code zkConnect} or {@code schedulers}
 * @param dialer opens the channel to the leader (hollow agents: on a shared event loop group), or null for plaintext
 * @param gpus override of the GPUs found with nvidia-smi (hollow agents pretending to be GPU hosts), or null
 */
public record AgentConfig(
        Path dataDir,
        String zkConnect,
        List<String> schedulers,
        long reserveCpuMillis,
        long reserveMemoryBytes,
        String nodeId,
        String hostname,
        Arch arch,
        Resources capacity,
        Clock clock,
        ScheduledExecutorService timer,
        ExecutorService workers,
        PodPolicy podPolicy,
        Map<String, String> labels,
        LeaderSource leaderSource,
        Dialer dialer,
        GpuInfo gpus) {

    public static final long DEFAULT_RESERVE_MEMORY_BYTES = 256L << 20;

    public AgentConfig {
        schedulers = schedulers == null ? List.of() : List.copyOf(schedulers);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static AgentConfig defaults(Path dataDir) {
        return new AgentConfig(dataDir, null, List.of(), 0, DEFAULT_RESERVE_MEMORY_BYTES,
                null, null, null, null, Clock.systemUTC(), null, null, PodPolicy.defaults(), Map.of(), null, null, null);
    }

    public AgentConfig withZkConnect(String zk) {
        return new AgentConfig(dataDir, zk, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withSchedulers(List<String> addresses) {
        return new AgentConfig(dataDir, zkConnect, addresses, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withReserve(long cpuMillis, long memoryBytes) {
        return new AgentConfig(dataDir, zkConnect, schedulers, cpuMillis, memoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withNodeId(String id) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, id, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withHostname(String name) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, name, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withArch(Arch a) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, a, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withCapacity(Resources c) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, c, clock, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withClock(Clock c) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, c, timer, workers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    /** Shared executors (hollow agents): the agent uses but never shuts them down. */
    public AgentConfig withExecutors(ScheduledExecutorService sharedTimer, ExecutorService sharedWorkers) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, sharedTimer, sharedWorkers, podPolicy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withPodPolicy(PodPolicy policy) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, policy, labels, leaderSource, dialer, gpus);
    }

    public AgentConfig withLabels(Map<String, String> nodeLabels) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, nodeLabels, leaderSource, dialer, gpus);
    }

    public AgentConfig withGpus(GpuInfo hostGpus) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, leaderSource, dialer, hostGpus);
    }

    /** Hollow agents: a leader source and a dialer shared by the fleet instead of the agent's own. */
    public AgentConfig withLinks(LeaderSource source, Dialer channelDialer) {
        return new AgentConfig(dataDir, zkConnect, schedulers, reserveCpuMillis, reserveMemoryBytes, nodeId, hostname, arch, capacity, clock, timer, workers, podPolicy, labels, source, channelDialer, gpus);
    }
}
