package io.farget.launcher;

import io.farget.sandbox.Preflight;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the real sandbox runtime of a host, after checking that it can work here. */
final class Runtimes {
    private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);

    private Runtimes() {}

    static RuncConfig config(Path agentDataDir, String cgroupParent) {
        return RuncConfig.defaults(agentDataDir).withCgroupParent(cgroupParent);
    }

    /** Null when runc sandboxes can run here, else one line saying what is missing. */
    static String preflight(RuncConfig config) {
        Preflight check = RuncRuntime.available(config);
        if (check.ok()) {
            LOG.info("Sandboxes: {}", check.message());
            return null;
        }
        return check.message();
    }

    static RuncRuntime runc(RuncConfig config) {
        return new RuncRuntime(config);
    }
}
