package io.farget.scheduler.bootstrap;

import io.farget.scheduler.leader.FailureSettings;
import io.farget.scheduler.leader.TermSettings;
import io.farget.scheduler.metering.MeteringSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

/**
 * How to run one scheduler replica.
 *
 * @param zkConnect         ZooKeeper connect string, optionally with a chroot: "127.0.0.1:2181/test1"
 * @param bindHost          address the gRPC server listens on
 * @param port              gRPC port; 0 picks a free one
 * @param advertisedHost    host others reach us at; null = bindHost, or this host's name when bound to all
 * @param heartbeatInterval how often agents heartbeat
 * @param nodeNotReadyAfter silence after which a node is NOT_READY
 * @param usageInterval     how often agents report usage
 * @param zkSessionTimeout  ZooKeeper session timeout: how long a dead leader holds its ephemeral nodes
 * @param clock             the time of pod and node timestamps
 * @param metering          rate card, ledger batching and the /metrics endpoint
 * @param failures          when a silent node's pods are given up, and how fast they are rescheduled
 * @param finishedPodRetention how long a finished pod is kept before it is removed ({@link #DEFAULT_FINISHED_POD_RETENTION})
 */
public record SchedulerConfig(
        String zkConnect,
        String bindHost,
        int port,
        String advertisedHost,
        Duration heartbeatInterval,
        Duration nodeNotReadyAfter,
        Duration usageInterval,
        Duration zkSessionTimeout,
        Clock clock,
        MeteringSettings metering,
        FailureSettings failures,
        Duration finishedPodRetention) {

    public static final int DEFAULT_PORT = 7070;
    /**
     * How long a dead leader holds its lock: the bulk of failover time. 3 s keeps kill -9 to the first
     * accepted write under 5 s, yet rides out GC pauses and hiccups of up to 2 s (ZooKeeper's
     * client gives up on a silent connection after two thirds of the session timeout). ZooKeeper
     * grants it only if its tickTime is at most 1500 ms (sessions must lie within 2 to 20 ticks);
     * with tickTime 500-1000 ms expiry comes within one tick of the timeout.
     */
    public static final Duration DEFAULT_ZK_SESSION_TIMEOUT = Duration.ofSeconds(3);

    /**
     * How long a finished pod stays readable (get, ps, logs of its record) before it is removed from
     * ZooKeeper and the leader's memory; like ECS, which shows stopped tasks for an hour. Its usage
     * stays in the ledger.
     */
    public static final Duration DEFAULT_FINISHED_POD_RETENTION = TermSettings.DEFAULT_FINISHED_POD_RETENTION;

    public static SchedulerConfig defaults(String zkConnect) {
        return new SchedulerConfig(zkConnect, "127.0.0.1", DEFAULT_PORT, null, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofSeconds(10), DEFAULT_ZK_SESSION_TIMEOUT, Clock.systemUTC(),
                MeteringSettings.defaults(), FailureSettings.defaults(), DEFAULT_FINISHED_POD_RETENTION);
    }

    public SchedulerConfig withBindHost(String host) {
        return new SchedulerConfig(zkConnect, host, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withPort(int p) {
        return new SchedulerConfig(zkConnect, bindHost, p, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withAdvertisedHost(String host) {
        return new SchedulerConfig(zkConnect, bindHost, port, host, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withHeartbeatInterval(Duration d) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, d, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withNodeNotReadyAfter(Duration d) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, d, usageInterval, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withUsageInterval(Duration d) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, d, zkSessionTimeout, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withZkSessionTimeout(Duration d) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, d, clock, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withClock(Clock c) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, c, metering, failures, finishedPodRetention);
    }

    public SchedulerConfig withMetering(MeteringSettings m) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, m, failures, finishedPodRetention);
    }

    public SchedulerConfig withFailures(FailureSettings f) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, f, finishedPodRetention);
    }

    /** The host part of the address we publish: explicit, else the bind host, else our host name. */
    public String effectiveAdvertisedHost() {
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            return advertisedHost;
        }
        if (bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
        return bindHost;
    }

    public SchedulerConfig withFinishedPodRetention(Duration d) {
        return new SchedulerConfig(zkConnect, bindHost, port, advertisedHost, heartbeatInterval, nodeNotReadyAfter, usageInterval, zkSessionTimeout, clock, metering, failures, d);
    }
}
