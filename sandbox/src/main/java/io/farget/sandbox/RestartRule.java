package io.farget.sandbox;

import io.farget.proto.v1.RestartPolicy;

/** Whether a container that just exited is started again under its pod's restart policy. Pure. */
final class RestartRule {
    private RestartRule() {}

    /**
     * never (and unspecified): no; on-failure: when it exited non-zero; always: yes, except that an init
     * container that succeeded is done (it runs to completion once, as in Kubernetes).
     */
    static boolean restarts(RestartPolicy policy, boolean init, int exitCode) {
        return switch (policy) {
            case RESTART_POLICY_ALWAYS -> !(init && exitCode == 0);
            case RESTART_POLICY_ON_FAILURE -> exitCode != 0;
            default -> false;
        };
    }
}
