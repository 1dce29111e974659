package io.farget.bench.cluster;

import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import java.io.IOException;

/**
 * A scheduler replica in the benchmark's own JVM (the test suite's regression run): correct
 * outcomes, but no heap, RSS or CPU of its own to report.
 */
final class InProcessScheduler implements SchedulerReplica {
    private final SchedulerServer server;

    private InProcessScheduler(SchedulerServer server) {
        this.server = server;
    }

    static InProcessScheduler start(String zk) throws IOException {
        return new InProcessScheduler(SchedulerServer.start(SchedulerConfig.defaults(zk).withPort(0)));
    }

    @Override
    public String address() {
        return server.address();
    }

    @Override
    public boolean isLeader() {
        return server.isLeader();
    }

    @Override
    public void kill() {
        server.close();
    }

    @Override
    public long peakHeapBytes() {
        return -1;
    }

    @Override
    public long liveHeapBytes() {
        return -1;
    }

    @Override
    public long peakRssBytes() {
        return -1;
    }

    @Override
    public long cpuNanos() {
        return -1;
    }

    @Override
    public long compileMillis() {
        return -1;
    }

    @Override
    public void close() {
        server.close();
    }
}
