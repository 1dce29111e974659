package io.farget.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of {@link RuncRuntime}.
 *
 * @param runcBinary the runc executable (a name looked up on PATH, or a path)
 * @param stateRoot runc's state folder ({@code runc --root}), e.g. DATA/runc
 * @param podsDir one folder per pod (bundle + logs), e.g. DATA/pods
 * @param cgroupParent pods get the cgroup {@code /<cgroupParent>/<podId>} in every hierarchy
 * @param pidsLimit the most processes one pod may have
 * @param cgroupRoot where the cgroup file systems are mounted ({@code /sys/fs/cgroup})
 */
public record RuncConfig(String runcBinary, Path stateRoot, Path podsDir, String cgroupParent, long pidsLimit,
                         Clock clock, Path cgroupRoot) {
    public static final String DEFAULT_BINARY = "runc";
    public static final String DEFAULT_CGROUP_PARENT = "farget";
    public static final long DEFAULT_PIDS_LIMIT = 1024;
    private static final Pattern CGROUP_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    public RuncConfig {
        Objects.requireNonNull(runcBinary, "runcBinary");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(podsDir, "podsDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        if (cgroupParent == null || !CGROUP_NAME.matcher(cgroupParent).matches()) {
            throw new IllegalArgumentException("cgroup parent must be one plain folder name, got '" + cgroupParent + "'");
        }
        if (pidsLimit <= 0) {
            throw new IllegalArgumentException("pids limit must be positive, got " + pidsLimit);
        }
    }

    /** The defaults under an agent's data folder: DATA/runc and DATA/pods, cgroup parent "farget". */
    public static RuncConfig defaults(Path dataDir) {
        return new RuncConfig(DEFAULT_BINARY, dataDir.resolve("runc"), dataDir.resolve("pods"), DEFAULT_CGROUP_PARENT,
                DEFAULT_PIDS_LIMIT, Clock.systemUTC(), Path.of("/sys/fs/cgroup"));
    }

    public RuncConfig withCgroupParent(String parent) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, parent, pidsLimit, clock, cgroupRoot);
    }

    public RuncConfig withRuncBinary(String binary) {
        return new RuncConfig(binary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot);
    }

    public RuncConfig withPidsLimit(long limit) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, limit, clock, cgroupRoot);
    }

    public RuncConfig withClock(Clock newClock) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, newClock, cgroupRoot);
    }

    /** The pod's cgroup path, the same in every hierarchy. */
    public String cgroupPath(String podId) {
        return "/" + cgroupParent + "/" + podId;
    }
}
