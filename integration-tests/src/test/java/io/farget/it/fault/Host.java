package io.farget.it.fault;

/**
 * One simulated machine: a network namespace of its own whose only link is a veth to the test
 * network's bridge.
 *
 * @param name      short name, also the node id of an agent running here (e.g. "a1")
 * @param namespace the network namespace (under /run/netns)
 * @param address   its private address, routed only inside the test network
 * @param switchPort the veth end on the bridge side: down cuts this host off
 */
record Host(String name, String namespace, String address, String switchPort) {
    String netnsPath() {
        return "/run/netns/" + namespace;
    }
}
