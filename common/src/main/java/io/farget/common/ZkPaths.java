package io.farget.common;

/**
 * ZooKeeper paths that more than one component reads. The scheduler owns everything under
 * {@link #ROOT}; agents and the CLI only read {@link #LEADER} and {@link #SCHEDULERS}.
 */
public final class ZkPaths {
    public static final String ROOT = "/farget";
    /** Ephemeral; data is the leading scheduler's HOST:PORT (UTF-8). */
    public static final String LEADER = ROOT + "/leader";
    /** Ephemeral children, one per live scheduler replica, named and holding HOST:PORT. */
    public static final String SCHEDULERS = ROOT + "/schedulers";

    private ZkPaths() {}
}
