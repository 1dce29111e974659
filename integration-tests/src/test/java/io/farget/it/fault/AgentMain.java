package io.farget.it.fault;

import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.Preflight;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import io.farget.sandbox.SandboxRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An agent process of the fault harness: the real {@link AgentDaemon} with the fake or the runc
 * runtime, wrapped in a {@link WitnessRuntime} that journals every pod start and end to a file the
 * invariant checker reads (a fake pod leaves no other trace outside the process). Like
 * {@code farget agent}, a stopping agent leaves its pods running.
 */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        Path dataDir = Path.of(args.get("data-dir"));
        String runtimeName = args.get("runtime");
        SandboxRuntime runtime;
        if (runtimeName.equals("runc")) {
            RuncConfig config = RuncConfig.defaults(dataDir).withCgroupParent(args.get("cgroup-parent"));
            Preflight check = RuncRuntime.available(config);
            if (!check.ok()) {
                System.err.println("error: " + check.message());
                System.exit(1);
            }
            runtime = new RuncRuntime(config);
        } else {
            runtime = new FakeRuntime();
        }
        SandboxRuntime witnessed = new WitnessRuntime(runtime, Path.of(args.get("witness")), runtimeName);
        String nodeId = args.get("node-id");
        AgentDaemon agent = AgentDaemon.start(AgentConfig.defaults(dataDir)
                .withNodeId(nodeId).withHostname(nodeId)
                .withZkConnect(args.get("zk"))
                .withReserve(0, 0)
                .withLabels(Map.of("runtime", runtimeName)), witnessed);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            witnessed.close();
            stopped.countDown();
        }, "agent-stop"));
        System.out.println("agent ready: node " + agent.nodeId());
        stopped.await();
    }
}
