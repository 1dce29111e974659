package io.farget.cli.view;

import java.util.List;
import java.util.Map;

/** The cluster at a glance: who leads, whether ZooKeeper is fine, nodes by state and pods by phase. */
public record StatusView(
        String leader,
        List<SchedulerView> schedulers,
        String zookeeper,
        Map<String, Integer> nodes,
        Map<String, Integer> pods,
        long epoch) {

    /** One scheduler replica; role is leader or standby. */
    public record SchedulerView(String address, String role) {}
}
