package io.farget.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The narrow seam between the agent and whatever runs pods (STYLE.md: Kubernetes CRI, Nomad's
 * DriverPlugin). {@code RuncRuntime} runs real sandboxes; {@link FakeRuntime} is a scriptable stand-in
 * for tests and hollow agents. Implementations are thread-safe; every method is idempotent.
 */
public interface SandboxRuntime extends AutoCloseable {

    /**
     * Creates and starts the pod's sandbox. Returns once its processes run, or throws
     * {@link SandboxException} with a reason fit for users (and leaves nothing behind).
     * Starting a pod id that already exists does nothing.
     */
    void start(SandboxRequest request) throws SandboxException;

    /** Sends SIGTERM to every container of the pod, then SIGKILL once {@code grace} has passed. Unknown ids are ignored. */
    void stop(String podId, Duration grace);

    /** Removes every trace of the pod but its logs: runtime state, cgroups in every hierarchy, mounts, bundle. */
    void remove(String podId);

    /** What the pod is doing now, or empty for an unknown id. */
    Optional<SandboxStatus> status(String podId);

    /**
     * Each container of the pod, init containers first, in spec order; empty for an unknown id. The
     * failing container of an EXITED pod is the first non-zero one ({@code reason} says OOMKilled when
     * the kernel killed it).
     */
    default List<ContainerRuntimeStatus> containers(String podId) {
        return List.of();
    }

    /** What the pod waits for before it runs, e.g. "Pulling host/repo:tag: 12.3 MiB"; empty when nothing. */
    default Optional<String> progress(String podId) {
        return Optional.empty();
    }

    /**
     * Runs {@code command} inside a running container of the pod, as that container's user and with
     * its restrictions (runc exec); the caller relays the returned process's stdin, stdout and stderr
     * and reads its exit code. {@code container} empty: the pod's first container.
     *
     * @throws SandboxException when the pod or container is unknown or not running
     */
    default Process exec(String podId, String container, List<String> command) throws SandboxException {
        throw new SandboxException("this runtime cannot run commands in containers");
    }

    /**
     * Runs {@code command} on a new pseudo-terminal of {@code size} inside a running container, as
     * {@link #exec} does: the returned {@link TerminalProcess} reads the terminal (stdout and stderr
     * together), types on it, resizes it, and reads the command's exit code.
     *
     * @throws SandboxException when the pod or container is unknown or not running, or no terminal could be made
     */
    default TerminalProcess execOnTerminal(String podId, String container, List<String> command, WindowSize size)
            throws SandboxException {
        throw new SandboxException("this runtime cannot run commands on a terminal");
    }

    /** The pod's own IP address on the host's pod network; empty without one (network none, no pod network here). */
    default Optional<String> address(String podId) {
        return Optional.empty();
    }

    /** Cumulative counters of the pod's cgroup, or empty when it has none (not started, removed). */
    Optional<SandboxStats> stats(String podId);

    /**
     * Cumulative counters of each started container's own cgroup, init containers first, in spec
     * order; empty for an unknown id or a runtime without per-container cgroups. After the pod ended,
     * the counters read just before its cgroups went away.
     */
    default List<ContainerStats> containerStats(String podId) {
        return List.of();
    }

    /** The file a container's stdout and stderr go to; it outlives {@link #remove}. */
    Path logFile(String podId, String container);

    /** Pods this runtime finds from an earlier life of the agent (for re-adoption after a restart). */
    List<String> list();

    /**
     * Takes over a pod an earlier life of the agent started (one of {@link #list()}), without
     * restarting anything: its containers still running are watched again, and exits that happened
     * meanwhile are applied with their real codes (the pod may be EXITED right after this returns,
     * and the exit listener is told as for any exit). Returns the request the pod was started with,
     * or empty when the pod cannot be adopted (the caller should {@link #remove} it). Idempotent.
     */
    default Optional<SandboxRequest> adopt(String podId) {
        return Optional.empty();
    }

    /** Registers the one listener told once per pod when the pod ends (all its containers exited, or an init container failed). */
    void onExit(ExitListener listener);

    /**
     * Registers the one listener told when a container changes while its pod goes on (restarted, an
     * init container done, one of several exited); the pod's end goes to the exit listener. Returns
     * false when this runtime cannot tell, so the caller must poll {@link #containers}.
     */
    default boolean onContainerChange(ContainerListener listener) {
        return false;
    }

    @Override
    void close();

    @FunctionalInterface
    interface ExitListener {
        void exited(String podId, SandboxStatus status);
    }

    @FunctionalInterface
    interface ContainerListener {
        void changed(String podId);
    }
}
