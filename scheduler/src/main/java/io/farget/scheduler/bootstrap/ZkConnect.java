package io.farget.scheduler.bootstrap;

/**
 * A ZooKeeper connect string split into its hosts and its chroot. The chroot becomes a Curator
 * namespace, which Curator creates on first use (a bare ZooKeeper chroot must already exist).
 */
record ZkConnect(String hosts, String namespace) {
    static ZkConnect parse(String connect) {
        int slash = connect.indexOf('/');
        if (slash < 0) {
            return new ZkConnect(connect, null);
        }
        String chroot = connect.substring(slash + 1).replaceAll("/+$", "");
        return new ZkConnect(connect.substring(0, slash), chroot.isEmpty() ? null : chroot);
    }
}
