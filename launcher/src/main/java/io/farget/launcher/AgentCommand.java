package io.farget.launcher;

import io.farget.agent.bootstrap.AgentConfig;
import io.farget.agent.bootstrap.AgentDaemon;
import io.farget.common.Quantities;
import io.farget.sandbox.FakeRuntime;
import io.farget.sandbox.SandboxRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farget agent}: the worker daemon of one host. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs the agent of this host: registers with the leading scheduler and runs its pods in runc sandboxes.")
final class AgentCommand implements Callable<Integer> {
    static final class Discovery {
        @Option(names = "--zk", paramLabel = "CONNECT", description = "Find the leader through this ZooKeeper.")
        String zkConnect;

        @Option(names = "--scheduler", paramLabel = "HOST:PORT", split = ",",
                description = "Scheduler replicas to try, comma-separated; standbys redirect to the leader.")
        List<String> schedulers;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Discovery discovery;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "State folder: node id, checkpoint, pod bundles and logs (default /var/lib/farget/agent as root).")
    Path dataDir;

    @Option(names = "--reserve-cpu", paramLabel = "CORES", defaultValue = "0",
            description = "CPU kept back for the host (default ${DEFAULT-VALUE}).")
    String reserveCpu;

    @Option(names = "--reserve-memory", paramLabel = "SIZE", defaultValue = "256Mi",
            description = "Memory kept back for the host (default ${DEFAULT-VALUE}).")
    String reserveMemory;

    @Option(names = "--runtime", paramLabel = "runc|fake", defaultValue = "runc",
            description = "runc runs real sandboxes; fake pretends (no processes), for load tests only (default ${DEFAULT-VALUE}).")
    String runtimeName;

    @Option(names = "--cgroup-parent", paramLabel = "NAME", defaultValue = "farget", hidden = true)
    String cgroupParent;

    @Option(names = "--pod-network",
            description = "Give each pod its own IP on a host bridge (CNI plugins in /usr/lib/cni) and publish hostPorts. "
                    + "Off: each pod has loopback only.")
    boolean podNetwork;

    @Option(names = "--pod-subnet", paramLabel = "CIDR", defaultValue = "10.88.0.0/16",
            description = "Pod addresses with --pod-network; must be routed nowhere else (default ${DEFAULT-VALUE}).")
    String podSubnet;

    @Option(names = "--host-ports-on-all-addresses",
            description = "Publish hostPorts on every host address instead of 127.0.0.1 only.")
    boolean hostPortsOnAllAddresses;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A node label for placement selectors (nodeSelector); may be repeated.")
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path dir = (dataDir != null ? dataDir : DataDirs.defaultFor("agent")).toAbsolutePath();
        SandboxRuntime runtime;
        if ("fake".equals(runtimeName)) {
            runtime = new FakeRuntime();
        } else if ("runc".equals(runtimeName)) {
            var runcConfig = Runtimes.config(dir, cgroupParent);
            if (podNetwork) {
                runcConfig = Runtimes.withPodNetwork(runcConfig, dir, podSubnet, hostPortsOnAllAddresses);
            }
            String preflight = Runtimes.preflight(runcConfig);
            if (preflight != null) {
                System.err.println("error: " + preflight);
                return 1;
            }
            runtime = Runtimes.runc(runcConfig);
        } else {
            System.err.println("error: --runtime: must be runc or fake");
            return 2;
        }
        AgentConfig config = AgentConfig.defaults(dir)
                .withReserve(Quantities.parseCpuMillis(reserveCpu), Quantities.parseBytes(reserveMemory))
                .withLabels(labels);
        config = discovery.zkConnect != null ? config.withZkConnect(discovery.zkConnect) : config.withSchedulers(discovery.schedulers);
        Daemon daemon = new Daemon("farget agent");
        daemon.stopOnSignal();
        daemon.onStop("sandbox runtime", runtime::close);
        AgentDaemon agent = AgentDaemon.start(config, runtime);
        // A stopping agent leaves its pods running: a restarted agent re-adopts them.
        daemon.onStop("agent", agent::close);
        System.out.println("farget agent ready: node " + agent.nodeId() + ", data in " + dir);
        System.out.flush();
        daemon.awaitStop();
        return 0;
    }
}
