package io.farget.launcher;

import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farget scheduler}: one scheduler replica; any number share a ZooKeeper, one leads. */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Runs a scheduler replica against a ZooKeeper ensemble. One replica leads, the others stand by.")
final class SchedulerCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, paramLabel = "CONNECT",
            description = "ZooKeeper connect string, e.g. zk1:2181,zk2:2181,zk3:2181 (an optional /chroot may follow).")
    String zkConnect;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070", description = "API port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bindHost;

    @Option(names = "--advertise", paramLabel = "HOST",
            description = "Host name or address agents and clients use to reach this replica (default: this host's name).")
    String advertiseHost;

    @Option(names = "--zk-session-timeout", paramLabel = "MILLIS", defaultValue = "3000",
            description = "ZooKeeper session timeout in ms (default ${DEFAULT-VALUE}): how long a dead leader holds"
                    + " leadership, the bulk of failover time. The ensemble grants 2 to 20 times its tickTime:"
                    + " 3000 needs tickTime 1500 or less (500-1000 recommended).")
    long zkSessionTimeoutMillis;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Local state folder (default /var/lib/farget/scheduler as root). State of record lives in ZooKeeper.")
    Path dataDir;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    RetentionOptions retention = new RetentionOptions();

    @Override
    public Integer call() throws Exception {
        SchedulerConfig config = config();
        if (advertiseHost != null) {
            config = config.withAdvertisedHost(advertiseHost);
        }
        Daemon daemon = new Daemon("farget scheduler");
        daemon.stopOnSignal();
        SchedulerServer server = SchedulerServer.start(config);
        daemon.onStop("scheduler", server::close);
        System.out.println("farget scheduler ready on " + server.address());
        System.out.flush();
        daemon.awaitStop();
        return 0;
    }

    /** The replica's configuration from the options. */
    SchedulerConfig config() {
        SchedulerConfig config = SchedulerConfig.defaults(zkConnect).withBindHost(bindHost).withPort(port)
                .withZkSessionTimeout(java.time.Duration.ofMillis(zkSessionTimeoutMillis));
        return retention.apply(config.withMetering(metrics.apply(config.metering(), bindHost)));
    }
}
