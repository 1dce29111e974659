package io.farget.sandbox.runc;

import java.nio.file.Path;

/**
 * Where one pod's files live under the pods folder: {@code <pods>/<podId>/bundle} (config.json,
 * rootfs, runc's pid and log files; removed with the pod) and {@code <pods>/<podId>/logs} (the
 * containers' output; kept after removal so users can still read it).
 */
public record PodLayout(Path podDir) {
    public static PodLayout of(Path podsDir, String podId) {
        return new PodLayout(podsDir.resolve(podId));
    }

    public Path bundle() {
        return podDir.resolve("bundle");
    }

    public Path rootfs() {
        return bundle().resolve("rootfs");
    }

    public Path configJson() {
        return bundle().resolve("config.json");
    }

    public Path pidFile() {
        return bundle().resolve("init.pid");
    }

    /** runc's own JSON log: the reason a start failed. */
    public Path runcLog() {
        return bundle().resolve("runc.log");
    }

    public Path logs() {
        return podDir.resolve("logs");
    }

    public Path logFile(String container) {
        return logs().resolve(container + ".log");
    }
}
