package io.farget.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test owns, standing in for the host of a pod network (PLATFORM.md, network
 * safety): it has loopback and whatever the CNI plugins add, and NO default route, so an address not
 * on its bridge is unreachable instead of leaving the machine. Traffic to pods is sent from inside it,
 * only after {@link #assertRoutedOnBridge} proved the address is on the bridge.
 */
public final class TestNetns implements AutoCloseable {
    public final String name = "farget-t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    /** A /24 of 10.88.0.0/16 that exists only inside this namespace. */
    public final String subnet = "10.88." + ThreadLocalRandom.current().nextInt(100, 250) + ".0/24";
    public final String bridge = "fgt" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);

    public TestNetns() throws IOException {
        run("ip", "netns", "add", name);
        exec("ip", "link", "set", "lo", "up");
        assertThat(exec("ip", "route", "show", "default").output()).as("a test namespace has no default route").isBlank();
    }

    public record Result(int exitCode, String output) {}

    /** Runs a command inside the namespace (as the test's "host"). */
    public Result exec(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    /** Fails unless {@code address} is routed over this namespace's bridge or loopback, never a default route. */
    public void assertRoutedOnBridge(String address) throws IOException {
        String route = exec("ip", "route", "get", address).output();
        assertThat(route).as("route to " + address).doesNotContain(" via ")
                .containsAnyOf("dev " + bridge + " ", "dev lo ");
    }

    /** Interfaces of type veth still in the namespace (each is a pod the plugins did not release). */
    public String veths() throws IOException {
        return exec("ip", "-o", "link", "show", "type", "veth").output().strip();
    }

    /** NAT chains made for single pods (bridge masquerade CNI-<hash>, portmap CNI-DN-<hash>). */
    public List<String> podChains() throws IOException {
        return exec("iptables-save", "-t", "nat").output().lines().filter(l -> l.startsWith(":CNI-"))
                .map(l -> l.substring(1, l.indexOf(' '))).filter(StaleRules::isPodChain).toList();
    }

    public String natRules() throws IOException {
        return exec("iptables-save", "-t", "nat").output();
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "delete", name);
    }

    private static Result run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), out);
    }
}
