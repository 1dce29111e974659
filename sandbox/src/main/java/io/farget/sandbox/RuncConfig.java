package io.farget.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import io.farget.sandbox.net.CniSettings;

/**
 * Settings of {@link RuncRuntime}.
 *
 * @param runcBinary the runc executable (a name looked up on PATH, or a path)
 * @param stateRoot runc's state folder ({@code runc --root}), e.g. DATA/runc
 * @param podsDir one folder per pod (bundle + logs), e.g. DATA/pods
 * @param cgroupParent pods get the cgroup {@code /<cgroupParent>/<podId>} in every hierarchy
 * @param pidsLimit the most processes one container may have
 * @param cgroupRoot where the cgroup file systems are mounted ({@code /sys/fs/cgroup})
 * @param allowedHostPaths host folders (and what is below them) that hostPath volumes may bind; empty: none
 * @param runAsNonRootDefault run containers that name no user (and whose image names none) as 65534:65534
 * @param imagesDir the shared OCI layout and the unpacked root file systems, e.g. DATA/images
 * @param imageCacheBytes disk budget of {@code imagesDir}; least recently used images beyond it are removed
 * @param registryAuthFile a docker-style config.json with registry credentials, or null for none
 * @param restartBackoff waits between restarts of a container under the pod's restart policy
 * @param logLimits size cap and rotation of each container's output
 * @param cni the pod network (an IP per pod on a host bridge), or null: each pod's own network
 *     namespace with loopback only (the safe default)
 */
public record RuncConfig(String runcBinary, Path stateRoot, Path podsDir, String cgroupParent, long pidsLimit,
                         Clock clock, Path cgroupRoot, List<Path> allowedHostPaths, boolean runAsNonRootDefault,
                         Path imagesDir, long imageCacheBytes, Path registryAuthFile, RestartBackoff restartBackoff,
                         LogLimits logLimits, CniSettings cni) {
    public static final String DEFAULT_BINARY = "runc";
    public static final String DEFAULT_CGROUP_PARENT = "farget";
    public static final long DEFAULT_PIDS_LIMIT = 1024;
    public static final long DEFAULT_IMAGE_CACHE_BYTES = 10L << 30;
    private static final Pattern CGROUP_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    public RuncConfig {
        Objects.requireNonNull(runcBinary, "runcBinary");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(podsDir, "podsDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        Objects.requireNonNull(imagesDir, "imagesDir");
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        Objects.requireNonNull(logLimits, "logLimits");
        allowedHostPaths = List.copyOf(allowedHostPaths);
        for (Path allowed : allowedHostPaths) {
            if (!allowed.isAbsolute()) {
                throw new IllegalArgumentException("allowed host paths must be absolute, got '" + allowed + "'");
            }
        }
        if (cgroupParent == null || !CGROUP_NAME.matcher(cgroupParent).matches()) {
            throw new IllegalArgumentException("cgroup parent must be one plain folder name, got '" + cgroupParent + "'");
        }
        if (pidsLimit <= 0) {
            throw new IllegalArgumentException("pids limit must be positive, got " + pidsLimit);
        }
        if (imageCacheBytes <= 0) {
            throw new IllegalArgumentException("image cache budget must be positive, got " + imageCacheBytes);
        }
    }

    /** The settings of the first version: no host paths, containers as root by default, images under podsDir/../images. */
    public RuncConfig(String runcBinary, Path stateRoot, Path podsDir, String cgroupParent, long pidsLimit, Clock clock,
                      Path cgroupRoot) {
        this(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, List.of(), false,
                podsDir.toAbsolutePath().resolveSibling("images"), DEFAULT_IMAGE_CACHE_BYTES, null,
                RestartBackoff.DEFAULT, LogLimits.DEFAULT, null);
    }

    /** The defaults under an agent's data folder: DATA/runc, DATA/pods and DATA/images, cgroup parent "farget". */
    public static RuncConfig defaults(Path dataDir) {
        return new RuncConfig(DEFAULT_BINARY, dataDir.resolve("runc"), dataDir.resolve("pods"), DEFAULT_CGROUP_PARENT,
                DEFAULT_PIDS_LIMIT, Clock.systemUTC(), Path.of("/sys/fs/cgroup"), List.of(), false,
                dataDir.resolve("images"), DEFAULT_IMAGE_CACHE_BYTES, null,
                RestartBackoff.DEFAULT, LogLimits.DEFAULT, null);
    }

    public RuncConfig withCgroupParent(String parent) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, parent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withRuncBinary(String binary) {
        return new RuncConfig(binary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withPidsLimit(long limit) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, limit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withClock(Clock newClock) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, newClock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withAllowedHostPaths(List<Path> paths) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, paths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withRunAsNonRootDefault(boolean nonRoot) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                nonRoot, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withImages(Path dir, long cacheBytes) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, dir, cacheBytes, registryAuthFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withRegistryAuthFile(Path authFile) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, authFile, restartBackoff, logLimits, cni);
    }

    public RuncConfig withRestartBackoff(RestartBackoff backoff) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, backoff, logLimits, cni);
    }

    public RuncConfig withLogLimits(LogLimits limits) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, limits, cni);
    }

    /** Pods get an IP on a host bridge through the CNI plugins (null: loopback only). */
    public RuncConfig withCni(CniSettings settings) {
        return new RuncConfig(runcBinary, stateRoot, podsDir, cgroupParent, pidsLimit, clock, cgroupRoot, allowedHostPaths,
                runAsNonRootDefault, imagesDir, imageCacheBytes, registryAuthFile, restartBackoff, logLimits, settings);
    }

    /** The pod's cgroup path, the same in every hierarchy. */
    public String cgroupPath(String podId) {
        return "/" + cgroupParent + "/" + podId;
    }

    /** A container's cgroup, below its pod's. */
    public String cgroupPath(String podId, String container) {
        return cgroupPath(podId) + "/" + container;
    }
}
