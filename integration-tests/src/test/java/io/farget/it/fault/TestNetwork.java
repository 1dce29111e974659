package io.farget.it.fault;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private network of simulated hosts (PLATFORM.md, "Networking" and "Network safety"): a switch
 * namespace holding a bridge, and per host a namespace joined to the bridge by a veth. No namespace
 * has a default route, so nothing can leave the machine: an address outside the test subnet fails
 * with "network unreachable". The root namespace never sees any of these links or addresses.
 *
 * <p>Every name starts with {@link #PREFIX}, so {@link #removeLeftovers()} can clear what a crashed
 * earlier run left behind.
 */
final class TestNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestNetwork.class);
    static final String PREFIX = "fgtit-";
    static final String SUBNET = "10.213.0";
    private static final String SWITCH = PREFIX + "sw";
    private static final String BRIDGE = "fgtbr0";

    private final List<Host> hosts = new ArrayList<>();

    /** Creates the switch namespace and its bridge; the switch itself answers at {@link #switchAddress()}. */
    static TestNetwork create() {
        TestNetwork network = new TestNetwork();
        try {
            Shell.run("ip", "netns", "add", SWITCH);
            Shell.run("ip", "-n", SWITCH, "link", "set", "lo", "up");
            Shell.run("ip", "-n", SWITCH, "link", "add", BRIDGE, "type", "bridge");
            Shell.run("ip", "-n", SWITCH, "addr", "add", switchAddress() + "/24", "dev", BRIDGE);
            Shell.run("ip", "-n", SWITCH, "link", "set", BRIDGE, "up");
            assertNoWayOut(SWITCH);
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    static String switchAddress() {
        return SUBNET + ".1";
    }

    /** The namespace of the switch: the place to run clients that must reach every host. */
    Host switchHost() {
        return new Host("sw", SWITCH, switchAddress(), BRIDGE);
    }

    /** Adds host {@code name} at {@code SUBNET.lastOctet}, linked to the bridge and reachable at once. */
    Host addHost(String name, int lastOctet) {
        Host host = new Host(name, PREFIX + name, SUBNET + "." + lastOctet, PREFIX + name);
        hosts.add(host);
        Shell.run("ip", "netns", "add", host.namespace());
        Shell.run("ip", "-n", host.namespace(), "link", "set", "lo", "up");
        // Created inside the switch namespace with its peer moved straight into the host's: the root
        // namespace never holds either end.
        Shell.run("ip", "-n", SWITCH, "link", "add", host.switchPort(), "type", "veth", "peer", "name", "eth0", "netns", host.namespace());
        Shell.run("ip", "-n", SWITCH, "link", "set", host.switchPort(), "master", BRIDGE, "up");
        Shell.run("ip", "-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
        Shell.run("ip", "-n", host.namespace(), "link", "set", "eth0", "up");
        assertNoWayOut(host.namespace());
        return host;
    }

    /** Cuts the host off the bridge: a partition. Its processes keep running. */
    void cut(Host host) {
        log.info("FAULT cut the link of {} ({})", host.name(), host.address());
        Shell.run("ip", "-n", SWITCH, "link", "set", host.switchPort(), "down");
    }

    void heal(Host host) {
        log.info("FAULT healed the link of {}", host.name());
        Shell.run("ip", "-n", SWITCH, "link", "set", host.switchPort(), "up");
    }

    /** The hard safety rule: a namespace with a default route could send a wrong address off the machine. */
    private static void assertNoWayOut(String namespace) {
        String defaults = Shell.run("ip", "-n", namespace, "route", "show", "default").trim();
        if (!defaults.isEmpty()) {
            throw new IllegalStateException("namespace " + namespace + " has a default route (" + defaults + "): refusing to go on");
        }
        if (Shell.attempt("ip", "-n", namespace, "route", "get", "192.0.2.1").ok()) {
            throw new IllegalStateException("namespace " + namespace + " routes an outside address: refusing to go on");
        }
    }

    /** Deleting a namespace deletes its veth ends and the bridge with it. */
    @Override
    public void close() {
        for (Host host : hosts) {
            Shell.attempt("ip", "netns", "delete", host.namespace());
        }
        Shell.attempt("ip", "netns", "delete", SWITCH);
    }

    /** Namespaces of this harness that exist now (left by a crashed run, or this run's). */
    static List<String> namespaces() {
        List<String> found = new ArrayList<>();
        for (String line : Shell.attempt("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                found.add(name);
            }
        }
        return found;
    }

    /** Kills every process still inside a harness namespace, then deletes the namespaces. */
    static void removeLeftovers() {
        for (String namespace : namespaces()) {
            for (String pid : Shell.attempt("ip", "netns", "pids", namespace).output().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    log.info("Killing leftover process {} in namespace {}", pid, namespace);
                    Shell.attempt("kill", "-9", pid);
                }
            }
        }
        for (String namespace : namespaces()) {
            Shell.attempt("ip", "netns", "delete", namespace);
        }
    }
}
