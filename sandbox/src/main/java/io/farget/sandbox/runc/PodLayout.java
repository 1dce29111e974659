package io.farget.sandbox.runc;

import java.nio.file.Path;

/**
 * Where one pod's files live under the pods folder: {@code <pods>/<podId>/bundle} (one OCI bundle per
 * container, the pod's emptyDir volumes; removed with the pod) and {@code <pods>/<podId>/logs} (the
 * containers' output; kept after removal so users can still read it).
 */
public record PodLayout(Path podDir) {
    public static PodLayout of(Path podsDir, String podId) {
        return new PodLayout(podsDir.resolve(podId));
    }

    public Path bundle() {
        return podDir.resolve("bundle");
    }

    /** The OCI bundle of one container (or of the pause process). */
    public ContainerBundle container(String name) {
        return new ContainerBundle(bundle().resolve("containers").resolve(name));
    }

    /** The host folder behind an emptyDir volume. */
    public Path volume(String name) {
        return bundle().resolve("volumes").resolve(name);
    }

    /** The request the pod was started with, kept so a restarted agent can adopt the pod. */
    public Path launchRecord() {
        return bundle().resolve("launch.pb");
    }

    public Path logs() {
        return podDir.resolve("logs");
    }

    public Path logFile(String container) {
        return logs().resolve(container + ".log");
    }

    /** One OCI bundle: config.json, the rootfs folder, runc's pid and log files. */
    public record ContainerBundle(Path dir) {
        public Path rootfs() {
            return dir.resolve("rootfs");
        }

        public Path configJson() {
            return dir.resolve("config.json");
        }

        public Path pidFile() {
            return dir.resolve("init.pid");
        }

        /** Written by the container's shim when {@code runc run} ends: the container's exit code, one line. */
        public Path exitCodeFile() {
            return dir.resolve("exit-code");
        }

        /** The pid of the shim waiting for the container (so a later agent can tell whether it still waits). */
        public Path shimPidFile() {
            return dir.resolve("shim.pid");
        }

        /** runc's own JSON log: the reason a start failed. */
        public Path runcLog() {
            return dir.resolve("runc.log");
        }
    }
}
