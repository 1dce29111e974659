package io.farget.launcher;

import io.farget.sandbox.Preflight;
import io.farget.sandbox.RuncConfig;
import io.farget.sandbox.RuncRuntime;
import io.farget.sandbox.net.CniSettings;
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

    /**
     * Pods get their own address on a host bridge (CNI) from {@code subnet}; host ports listen on
     * 127.0.0.1, or on every address with {@code allAddresses}. Off unless the operator asks.
     */
    static RuncConfig withPodNetwork(RuncConfig config, Path agentDataDir, String subnet, boolean allAddresses) {
        CniSettings cni = CniSettings.defaults(agentDataDir.resolve("cni")).withSubnet(subnet);
        return config.withCni(allAddresses ? cni.publishingOnAllAddresses() : cni);
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
