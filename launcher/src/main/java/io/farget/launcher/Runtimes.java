package io.farget.launcher;

import io.farget.sandbox.SandboxRuntime;
import io.farget.sandbox.runc.RuncConfig;
import io.farget.sandbox.runc.RuncRuntime;
import java.nio.file.Path;

/** Builds the real sandbox runtime of a host and checks, before anything starts, that it can work. */
final class Runtimes {
    private Runtimes() {}

    /** Null when runc sandboxes can run here, else one line saying what is missing and how to fix it. */
    static String preflight() {
        return RuncRuntime.preflight();
    }

    static SandboxRuntime runc(Path agentDataDir, String cgroupParent) {
        return new RuncRuntime(RuncConfig.defaults(agentDataDir).withCgroupParent(cgroupParent));
    }
}
