package io.farget.sandbox;

import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runc calls on a pod's containers whose failure is nobody's error: a signal or a forced delete
 * aimed at a container that may have ended meanwhile. A failure is logged and the caller goes on.
 */
final class QuietRunc {
    private static final Logger log = LoggerFactory.getLogger(QuietRunc.class);

    private final RuncCommand runc;

    QuietRunc(RuncCommand runc) {
        this.runc = runc;
    }

    void kill(RuncPod pod, String runcId, String signal, boolean all) {
        try {
            RuncCommand.Result result = runc.kill(runcId, signal, all);
            if (!result.ok()) {
                log.debug("pod {}: runc kill {} {} failed: {}", pod.podId, runcId, signal, result.output().strip());
            }
        } catch (IOException e) {
            log.warn("pod {}: runc kill {} {} failed: {}", pod.podId, runcId, signal, e.getMessage());
        }
    }

    void deleteQuietly(RuncPod pod, String runcId) {
        try {
            RuncCommand.Result result = runc.deleteForce(runcId);
            if (!result.ok()) {
                log.debug("pod {}: runc delete {} failed: {}", pod.podId, runcId, result.output().strip());
            }
        } catch (IOException e) {
            log.warn("pod {}: runc delete {} failed: {}", pod.podId, runcId, e.getMessage());
        }
    }
}
