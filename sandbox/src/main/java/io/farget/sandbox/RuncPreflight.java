package io.farget.sandbox;

import io.farget.sandbox.cgroup.Cgroups;
import io.farget.sandbox.linux.LibC;
import io.farget.sandbox.runc.RuncCommand;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether this host can run real sandboxes, asked before a {@link RuncRuntime} is built (whose
 * constructor already needs all of it): runc runs, we are root, cgroups are writable. Each answer
 * that says no says what to fix.
 */
final class RuncPreflight {
    private RuncPreflight() {
    }

    static Preflight check(RuncConfig config) {
        String version;
        try {
            RuncCommand.Result result = new RuncCommand(config.runcBinary(), config.stateRoot()).version();
            if (!result.ok()) {
                return Preflight.notReady("'" + config.runcBinary() + " --version' failed: " + result.output().strip());
            }
            version = result.output().lines().findFirst().orElse("runc").strip();
        } catch (IOException e) {
            return Preflight.notReady("runc not found ('" + config.runcBinary() + "'): install the runc package");
        }
        try {
            if (LibC.get().geteuid() != 0) {
                return Preflight.notReady(version + " found, but the agent is not root (runc needs root for cgroup limits)");
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Preflight.notReady("cannot call libc through JNA: " + e.getMessage());
        }
        Cgroups found = Cgroups.detect(config.cgroupRoot());
        Optional<String> problem = found.problem();
        if (problem.isPresent()) {
            return Preflight.notReady(problem.get());
        }
        return Preflight.ready(version + ", root, cgroup " + found.version() + " writable");
    }
}
