package io.farget.it.fault;

import io.farget.scheduler.bootstrap.SchedulerConfig;
import io.farget.scheduler.bootstrap.SchedulerServer;
import io.farget.scheduler.leader.FailureSettings;
import java.util.concurrent.CountDownLatch;

/**
 * A scheduler replica process of the fault harness: the real {@link SchedulerServer}, as
 * {@code farget scheduler} runs it, with node-failure timings short enough for tests (heartbeats,
 * NOT_READY and LOST timeouts, an unthrottled reschedule rate) and everything else at its defaults,
 * the ZooKeeper session timeout included, so failover is measured as shipped.
 */
public final class SchedulerMain {
    private SchedulerMain() {}

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        SchedulerConfig config = SchedulerConfig.defaults(args.get("zk"))
                .withBindHost(args.get("host"))
                .withPort(Integer.parseInt(args.get("port")))
                .withHeartbeatInterval(args.millis("heartbeat-millis"))
                .withNodeNotReadyAfter(args.millis("not-ready-millis"))
                .withFailures(FailureSettings.defaults().withPodsLostAfter(args.millis("lost-millis"))
                        // tests lose a third of the fleet at once; the production budget would stretch them to minutes
                        .withRescheduleRate(1.0, 1000));
        config = config.withMetering(config.metering().withMetrics(args.get("host"), -1));
        SchedulerServer server = SchedulerServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "scheduler-stop"));
        System.out.println("scheduler ready on " + server.address());
        stopped.await();
    }
}
