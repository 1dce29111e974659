package io.farget.sandbox.net;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The agent's pod network through the CNI plugins: a bridge on this host, addresses from one subnet
 * (host-local), host ports published by portmap on {@code hostPortAddress}.
 *
 * @param pluginDir where the plugin executables are ({@code /usr/lib/cni} on Debian)
 * @param stateDir the plugins' state (host-local's leases), the pinned pod namespaces and what each
 *     pod's ADD returned, e.g. DATA/cni
 * @param bridge the host bridge's name
 * @param subnet the pods' subnet in CIDR form; it must be routed nowhere else
 * @param hostPortAddress where published ports listen: 127.0.0.1 (the default) or 0.0.0.0 (all addresses)
 * @param hostNetns the named network namespace ({@code ip netns}) that plays the host: the bridge, its
 *     routes and the iptables rules live there. Null: the agent's own namespace (production). Tests set
 *     it to a namespace of their own without a default route, so no pod address can leak off the machine.
 */
public record CniSettings(Path pluginDir, Path stateDir, String bridge, String subnet, String hostPortAddress,
                          String hostNetns) {
    /** The CNI network's name: in iptables comments and host-local's folder. */
    public static final String NETWORK_NAME = "farget-pods";
    private static final Pattern BRIDGE = Pattern.compile("^[a-z][a-z0-9-]{0,14}$");
    private static final Pattern CIDR = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$");
    private static final Pattern NETNS = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    public CniSettings {
        Objects.requireNonNull(pluginDir, "pluginDir");
        Objects.requireNonNull(stateDir, "stateDir");
        if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge must be a short interface name, got '" + bridge + "'");
        }
        if (subnet == null || !CIDR.matcher(subnet).matches()) {
            throw new IllegalArgumentException("subnet must be an IPv4 CIDR, got '" + subnet + "'");
        }
        if (!"127.0.0.1".equals(hostPortAddress) && !"0.0.0.0".equals(hostPortAddress)) {
            throw new IllegalArgumentException("host ports go on 127.0.0.1 or 0.0.0.0, got '" + hostPortAddress + "'");
        }
        if (hostNetns != null && !NETNS.matcher(hostNetns).matches()) {
            throw new IllegalArgumentException("host network namespace must be a plain name, got '" + hostNetns + "'");
        }
    }

    public CniSettings(Path pluginDir, Path stateDir, String bridge, String subnet, String hostPortAddress) {
        this(pluginDir, stateDir, bridge, subnet, hostPortAddress, null);
    }

    public static CniSettings defaults(Path stateDir) {
        return new CniSettings(Path.of("/usr/lib/cni"), stateDir, "farget0", "10.88.0.0/16", "127.0.0.1", null);
    }

    public CniSettings withSubnet(String cidr) {
        return new CniSettings(pluginDir, stateDir, bridge, cidr, hostPortAddress, hostNetns);
    }

    public CniSettings withBridge(String name) {
        return new CniSettings(pluginDir, stateDir, name, subnet, hostPortAddress, hostNetns);
    }

    public CniSettings publishingOnAllAddresses() {
        return new CniSettings(pluginDir, stateDir, bridge, subnet, "0.0.0.0", hostNetns);
    }

    /** Runs the plugins and iptables inside the named namespace instead of the agent's own. */
    public CniSettings inHostNetns(String name) {
        return new CniSettings(pluginDir, stateDir, bridge, subnet, hostPortAddress, name);
    }
}
