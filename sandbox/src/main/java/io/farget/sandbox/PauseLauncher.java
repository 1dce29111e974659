package io.farget.sandbox;

import io.farget.sandbox.launch.ExitWatcher;
import io.farget.sandbox.linux.Reaper;
import io.farget.sandbox.net.CniException;
import io.farget.sandbox.net.PodNetwork;
import io.farget.sandbox.oci.OciContainer;
import io.farget.sandbox.runc.PodLayout;
import io.farget.sandbox.runc.RuncCommand;
import io.farget.sandbox.runc.RuncErrorLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a pod's pause process, which holds the namespaces its containers join. Its exit code
 * matters to nobody, so it gets no shim and no {@link ExitWatcher}: {@code runc run -d}, and as this
 * JVM is a child subreaper the pause becomes our child, which the {@link Reaper} collects. On the
 * pod network the pause starts while CNI wires its namespace.
 */
final class PauseLauncher {
    private static final Logger log = LoggerFactory.getLogger(PauseLauncher.class);

    private final RuncCommand runc;
    private final BundleWriter bundles;
    private final Reaper reaper;
    /** Pods' addresses on the host bridge; null when the agent runs without a pod network (loopback only). */
    private final PodNetwork network;

    PauseLauncher(RuncCommand runc, BundleWriter bundles, Reaper reaper, PodNetwork network) {
        this.runc = runc;
        this.bundles = bundles;
        this.reaper = reaper;
        this.network = network;
    }

    /**
     * A pod on the pod network, the way containerd starts one: its network namespace is made and
     * pinned first, then CNI ADD wires it on another thread while the pause process starts in it
     * (joined by path), so the two slowest steps of the start overlap instead of adding up. Both are
     * seen through before anything is thrown, so the cleanup after a failure finds neither at work.
     */
    void startNetworked(RuncPod pod, StartStages stages) throws SandboxException, IOException, CniException {
        Path netns = network.createNamespace(pod.podId);
        stages.ended("netns");
        CompletableFuture<PodNetwork.Attachment> attached = network.attachInBackground(pod.podId, netns, pod.plan.hostPorts());
        try {
            pod.pausePid = launch(pod, pod.plan.pause().inNetwork(netns));
            stages.ended("pause");
        } catch (SandboxException | IOException | RuntimeException e) {
            attached.handle((ok, failed) -> null).join(); // its own failure, if any, matters less than the pause's
            throw e;
        }
        pod.address = awaitAttachment(attached).address();
        stages.ended("network");
    }

    private static PodNetwork.Attachment awaitAttachment(CompletableFuture<PodNetwork.Attachment> attached) throws CniException {
        try {
            return attached.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CniException cni) {
                throw cni;
            }
            throw new CniException("CNI ADD failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException("interrupted while CNI ADD ran", e);
        }
    }

    /** Runs the pause and has the reaper collect it; returns its pid. */
    int launch(RuncPod pod, OciContainer pause) throws SandboxException, IOException {
        PodLayout.ContainerBundle bundle = pod.layout.container(PodTranslator.PAUSE);
        int pid = run(pod, pod.podId + "." + PodTranslator.PAUSE, bundle, pause, bundle.dir().resolve("output.log"));
        reaper.watch(pid, new Reaper.Watcher() {
            @Override
            public void exited(int exitCode) {
                log.debug("pod {}: pause exited with {}", pod.podId, exitCode);
            }

            @Override
            public void vanished() {
                log.debug("pod {}: pause vanished", pod.podId);
            }
        });
        return pid;
    }

    /** Writes the bundle and runs runc; returns the container's init pid, or says why it did not start. */
    private int run(RuncPod pod, String runcId, PodLayout.ContainerBundle bundle, OciContainer container, Path output)
            throws SandboxException, IOException {
        bundles.write(pod.layout, bundle, container);
        RuncCommand.Result result = runc.runDetached(runcId, bundle, output);
        if (!result.ok()) {
            String reason = RuncErrorLog.reason(bundle.runcLog()).orElse("runc exited with code " + result.exitCode());
            throw new SandboxException("sandbox failed to start: " + reason);
        }
        return Integer.parseInt(Files.readString(bundle.pidFile(), StandardCharsets.US_ASCII).trim());
    }
}
