package io.farget.launcher;

import io.farget.scheduler.bootstrap.EmbeddedZooKeeper;
import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.common.Quantities;
import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farget dev}: embedded ZooKeeper, one scheduler and one agent on this host, in the foreground. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Runs a whole single-machine cluster in the foreground: embedded ZooKeeper, a scheduler and an agent.",
                "Prints a line containing 'ready' once pods can be submitted. Ctrl-C stops everything and removes every sandbox."})
final class DevCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "State folder (default /var/lib/farget/dev as root, ~/.farget/dev otherwise).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070",
            description = "Port of the scheduler's API (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the scheduler listens on (default ${DEFAULT-VALUE}).")
    String bindHost;

    @Option(names = "--reserve-memory", paramLabel = "SIZE", defaultValue = "256Mi",
            description = "Memory kept back for the host, never given to pods (default ${DEFAULT-VALUE}).")
    String reserveMemory;

    @Option(names = "--cgroup-parent", paramLabel = "NAME", defaultValue = "farget", hidden = true,
            description = "Top-level cgroup folder for pods (tests use their own).")
    String cgroupParent;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "5",
            description = "At shutdown, how long pods get between SIGTERM and SIGKILL (default ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    RetentionOptions retention = new RetentionOptions();

    @Override
    public Integer call() throws Exception {
        Path dir = (dataDir != null ? dataDir : DataDirs.defaultFor("dev")).toAbsolutePath();
        RuncConfig runcConfig = Runtimes.config(dir.resolve("agent"), cgroupParent);
        String preflight = Runtimes.preflight(runcConfig);
        if (preflight != null) {
            System.err.println("error: " + preflight);
            return 1;
        }
        Daemon daemon = new Daemon("farget dev");
        daemon.stopOnSignal();
        try {
            EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"));
            daemon.onStop("ZooKeeper", zk::close);

            SchedulerConfig schedulerConfig = retention.apply(SchedulerConfig.defaults(zk.connectString()).withBindHost(bindHost).withPort(port));
            SchedulerServer scheduler = SchedulerServer.start(
                    schedulerConfig.withMetering(metrics.apply(schedulerConfig.metering(), bindHost)));
            daemon.onStop("scheduler", scheduler::close);
            scheduler.awaitLeadership(Duration.ofSeconds(30));

            RuncRuntime runtime = Runtimes.runc(runcConfig);
            daemon.onStop("sandbox runtime", runtime::close);
            // runc creates the parent folder of all pod cgroups but never removes it; dev leaves none behind.
            daemon.onStop("cgroup parent", () -> runtime.cgroups().remove("/" + cgroupParent));
            AgentConfig agentConfig = AgentConfig.defaults(dir.resolve("agent"))
                    .withZkConnect(zk.connectString())
                    .withReserve(0, Quantities.parseBytes(reserveMemory));
            AgentDaemon agent = AgentDaemon.start(agentConfig, runtime);
            daemon.onStop("agent", () -> {
                agent.shutdownPods(Duration.ofSeconds(graceSeconds));
                agent.close();
            });
            awaitConnected(agent);
            System.out.println("farget dev ready: scheduler " + scheduler.address() + ", node " + agent.nodeId()
                    + ", data in " + dir);
            System.out.flush();
        } catch (Exception e) {
            // The logger is made here, not in a static field: picocli builds every command object at
            // start-up, and a static logger would configure logging for every client command too.
            LoggerFactory.getLogger(DevCommand.class).error("farget dev failed to start: {}", e.getMessage(), e);
            daemon.stop();
            return 1;
        }
        daemon.awaitStop();
        return 0;
    }

    private static void awaitConnected(AgentDaemon agent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!agent.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not connect to the scheduler within 30 s");
            }
            Thread.sleep(20); // polling a flag at start-up only; no event exists for "registered" yet
        }
    }
}
