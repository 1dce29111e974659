package io.farget.it.fault;

import java.time.Duration;
import java.util.Random;

/**
 * The faults of a chaos run, drawn from one seed: the same seed gives the same faults, on the same
 * targets, held for the same times, with the same submissions around them (only the timing of the
 * real processes differs), so a failing run replays with {@code -Dfarget.chaos.seed=SEED}. Pure.
 */
final class ChaosSchedule {
    enum Kind { KILL_LEADER, RESTART_AGENT, CUT_LINK, STOP_ZK_MEMBER, STOP_ZK_QUORUM, DRAIN_NODE }

    /**
     * One fault.
     *
     * @param target            which agent (index into the fake agents) or ZooKeeper member it hits
     * @param hold              how long it lasts before it is healed
     * @param submissionsBefore pods submitted before it
     * @param submissionsDuring pods submitted while it lasts (they may rightly be refused)
     */
    record Step(int number, Kind kind, int target, Duration hold, int submissionsBefore, int submissionsDuring) {
        @Override
        public String toString() {
            return "#" + number + " " + kind + " target " + target + " for " + hold.toMillis() + " ms (" + submissionsBefore + " pods before, "
                    + submissionsDuring + " during)";
        }
    }

    private final Random random;
    private final int agents;
    private final int zookeeperMembers;
    private int number;

    ChaosSchedule(long seed, int agents, int zookeeperMembers) {
        this.random = new Random(seed);
        this.agents = agents;
        this.zookeeperMembers = zookeeperMembers;
    }

    Step next() {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        int target = random.nextInt(kind == Kind.STOP_ZK_MEMBER || kind == Kind.STOP_ZK_QUORUM ? zookeeperMembers : agents);
        // 0.5 to 9 s: short faults heal before NOT_READY (2 s), long ones outlast NOT_READY + LOST (6 s)
        Duration hold = Duration.ofMillis(500 + random.nextInt(8500));
        return new Step(++number, kind, target, hold, random.nextInt(4), random.nextInt(3));
    }
}
