package io.farget.sandbox;

import io.farget.sandbox.runc.PodLayout;
import java.util.List;

/**
 * Finds the container a command is to run in ({@code exec}, with or without a terminal), so that
 * both kinds of exec refuse the same things with the same reasons: an unknown or ended pod, an
 * empty command, an unknown container, a container not running.
 */
final class ExecTargets {
    /** A running container of a running pod that a command may run in. */
    record ExecTarget(String name, String runcId, PodLayout.ContainerBundle bundle) {}

    private final PodRegistry pods;

    ExecTargets(PodRegistry pods) {
        this.pods = pods;
    }

    /** {@code container} empty: the pod's first container. */
    ExecTarget find(String podId, String container, List<String> command) throws SandboxException {
        RuncPod pod = pods.get(podId);
        if (pod == null || !pod.running()) {
            throw new SandboxException("pod " + podId + " is not running here");
        }
        if (command.isEmpty()) {
            throw new SandboxException("exec needs a command");
        }
        String name = container.isEmpty() ? pod.plan.containers().get(0).name() : container;
        List<ContainerPlan> all = pod.plan.all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(name)) {
                if (!pod.containerStatuses().get(i).running()) {
                    throw new SandboxException("container '" + name + "' of pod " + podId + " is not running");
                }
                return new ExecTarget(name, all.get(i).runcId(), pod.layout.container(name));
            }
        }
        throw new SandboxException("pod " + podId + " has no container '" + name + "'");
    }
}
