package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.common.PodIds;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodSpec;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final CreateQueue creates;

    public PodControl(LeaderLoop loop, ClusterState state, ClusterWriter writer, PodStateMachine machine,
                      PodCommitter committer, PlacementTrigger placement) {
        this.loop = loop;
        this.state = state;
        this.writer = writer;
        this.machine = machine;
        this.committer = committer;
        this.placement = placement;
        this.creates = new CreateQueue(loop, this::store);
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
     * call created, and creates nothing. Concurrent creates are stored together ({@link CreateQueue}).
     */
    public Pod create(PodSpec spec, String requestId) {
        validateRequestId(requestId);
        return creates.create(spec, requestId);
    }

    /** On the loop: answers each request with the pod it created, or the one its request id created before. */
    private List<Pod> store(List<CreateQueue.Request> batch) {
        List<Pod> answers = new ArrayList<>(Collections.nCopies(batch.size(), (Pod) null));
        Map<String, Integer> firstInBatch = new HashMap<>();
        List<Pod> fresh = new ArrayList<>();
        List<Integer> freshIndex = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            CreateQueue.Request r = batch.get(i);
            Optional<Pod> earlier = r.requestId().isEmpty() ? Optional.empty()
                    : state.podIdForRequest(r.requestId()).flatMap(state::pod);
            if (earlier.isPresent()) {
                answers.set(i, earlier.get());
            } else if (!r.requestId().isEmpty() && firstInBatch.containsKey(r.requestId())) {
                answers.set(i, null); // filled in below from the first request with this id
            } else {
                if (!r.requestId().isEmpty()) {
                    firstInBatch.put(r.requestId(), i);
                }
                fresh.add(machine.create(PodIds.newId(), r.spec(), r.requestId()));
                freshIndex.add(i);
            }
        }
        List<Optional<String>> stored = writer.createPods(fresh);
        for (int k = 0; k < fresh.size(); k++) {
            Pod pod = fresh.get(k);
            Optional<String> first = stored.get(k);
            if (first.isPresent()) {
                answers.set(freshIndex.get(k), state.pod(first.get())
                        .orElseThrow(() -> FargetException.notFound("pod " + first.get())));
            } else {
                state.putPod(pod);
                answers.set(freshIndex.get(k), pod);
                log.debug("Pod {} ({}) created", pod.getId(), pod.getSpec().getName());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (answers.get(i) == null) {
                answers.set(i, answers.get(firstInBatch.get(batch.get(i).requestId())));
            }
        }
        if (!fresh.isEmpty()) {
            log.info(fresh.size() == 1 ? "Pod {} created" : "{} pods created",
                    fresh.size() == 1 ? fresh.get(0).getId() + " (" + fresh.get(0).getSpec().getName() + ")" : fresh.size());
            placement.request();
        }
        return answers;
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
