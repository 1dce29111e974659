package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.common.PodIds;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The leader's pod commands from users: create and delete. Each runs on the leader loop. */
public final class PodControl {
    private static final Logger log = LoggerFactory.getLogger(PodControl.class);
    /** Request ids become znode names: keep them short and path-safe. */
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9_:-][A-Za-z0-9._:-]{0,127}$");

    private final LeaderLoop loop;
    private final ClusterState state;
    private final ClusterWriter writer;
    private final PodStateMachine machine;
    private final PodCommitter committer;
    private final PlacementTrigger placement;

    public PodControl(LeaderLoop loop, ClusterState state, ClusterWriter writer, PodStateMachine machine,
                      PodCommitter committer, PlacementTrigger placement) {
        this.loop = loop;
        this.state = state;
        this.writer = writer;
        this.machine = machine;
        this.committer = committer;
        this.placement = placement;
    }

    /** Checks a client request id; empty means "no retry protection". */
    public static void validateRequestId(String requestId) {
        if (!requestId.isEmpty() && !REQUEST_ID.matcher(requestId).matches()) {
            throw FargetException.invalid("request_id", "'" + requestId
                    + "' must be 1-128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    /**
     * Creates a pod from a validated spec. A retry with the same request id returns the pod the first
     * call created, and creates nothing.
     */
    public Pod create(PodSpec spec, String requestId) {
        validateRequestId(requestId);
        return loop.call(() -> {
            Optional<Pod> earlier = state.podIdForRequest(requestId).flatMap(state::pod);
            if (!requestId.isEmpty() && earlier.isPresent()) {
                return earlier.get();
            }
            Pod pod = machine.create(PodIds.newId(), spec, requestId);
            Optional<String> first = writer.createPod(pod);
            if (first.isPresent()) {
                return state.pod(first.get()).orElseThrow(() -> FargetException.notFound("pod " + first.get()));
            }
            state.putPod(pod);
            log.info("Pod {} ({}) created", pod.getId(), spec.getName());
            placement.request();
            return pod;
        });
    }

    /** Asks for the pod to be killed; idempotent. */
    public Pod delete(String podId) {
        return loop.call(() -> {
            Pod pod = state.pod(podId).orElseThrow(() -> FargetException.notFound("pod " + podId));
            var transition = machine.apply(pod, new PodEvent.KillRequested());
            committer.commit(transition);
            log.info("Pod {} kill requested (was {})", podId, pod.getStatus().getPhase());
            return transition.after();
        });
    }
}
