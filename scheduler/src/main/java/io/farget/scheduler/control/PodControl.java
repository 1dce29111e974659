package io.farget.scheduler.control;

import io.farget.common.FargetException;
import io.farget.common.PodIds;
import io.farget.proto.v1.Pod;
import io.farget.proto.v1.PodPhase;
import io.farget.proto.v1.PodSpec;
import io.farget.scheduler.lifecycle.PodEvent;
import io.farget.scheduler.lifecycle.PodStateMachine;
import io.farget.scheduler.lifecycle.Transition;
import io.farget.scheduler.state.ClusterState;
import io.farget.scheduler.state.ClusterWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    private final CreatePlacement createPlacement;
    private final CreateQueue creates;

    public PodControl(LeaderLoop loop, ClusterState state, ClusterWriter writer, PodStateMachine machine,
                      PodCommitter committer, PlacementTrigger placement, CreatePlacement createPlacement) {
        this.loop = loop;
        this.createPlacement = createPlacement;
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
     * Creates a pod from a validated spec; the future answers once it is stored. A retry with the
     * same request id returns the pod the first call created, and creates nothing. Concurrent creates
     * are stored together ({@link CreateQueue}). The future fails as {@link LeaderLoop#failure} says.
     */
    public CompletableFuture<Pod> create(PodSpec spec, String requestId) {
        return createAll(List.of(new NewPod(spec, requestId))).thenApply(created -> created.get(0));
    }

    /**
     * Creates several pods from validated specs, each as {@link #create} would, as one unit of
     * leader work: queued, stored and answered together, in order. The caller checks the batch as a
     * whole first (CreatePods: its size, distinct request ids), so nothing invalid reaches the loop.
     */
    public CompletableFuture<List<Pod>> createAll(List<NewPod> pods) {
        pods.forEach(p -> validateRequestId(p.requestId()));
        return creates.submit(pods);
    }

    /**
     * On the loop: answers each request with the pod it created, or the one its request id created
     * before. Pods that fit somewhere now are stored already placed ({@link CreatePlacement}) and
     * launched once stored; the others are stored PENDING for the next placement pass.
     */
    private List<Pod> store(List<NewPod> batch) {
        List<Pod> answers = new ArrayList<>(Collections.nCopies(batch.size(), (Pod) null));
        Map<String, Integer> firstInBatch = new HashMap<>();
        List<Pod> fresh = new ArrayList<>();
        List<Integer> freshIndex = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            NewPod r = batch.get(i);
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
        List<Transition> stored = storeFresh(fresh, freshIndex, answers);
        for (int i = 0; i < batch.size(); i++) {
            if (answers.get(i) == null) {
                answers.set(i, answers.get(firstInBatch.get(batch.get(i).requestId())));
            }
        }
        committer.created(stored);
        logCreated(stored);
        return answers;
    }

    /**
     * Stores the fresh pods, placed where placement can decide now, and fills in their answers.
     * Returns the transitions of those actually stored (a pod whose request id turned out to be used
     * before is not: the answer is that earlier pod).
     */
    private List<Transition> storeFresh(List<Pod> fresh, List<Integer> freshIndex, List<Pod> answers) {
        List<Transition> admitted = createPlacement.placeFresh(fresh);
        List<Optional<String>> firstCreatedBy;
        try {
            firstCreatedBy = writer.createPods(admitted.stream().map(Transition::after).toList());
        } catch (RuntimeException e) {
            createPlacement.notStored();
            throw e;
        }
        List<Transition> stored = new ArrayList<>(admitted.size());
        for (int k = 0; k < admitted.size(); k++) {
            Optional<String> first = firstCreatedBy.get(k);
            if (first.isPresent()) {
                createPlacement.notStored();
                answers.set(freshIndex.get(k), state.pod(first.get())
                        .orElseThrow(() -> FargetException.notFound("pod " + first.get())));
            } else {
                stored.add(admitted.get(k));
                answers.set(freshIndex.get(k), admitted.get(k).after());
            }
        }
        return stored;
    }

    private void logCreated(List<Transition> stored) {
        if (stored.isEmpty()) {
            return;
        }
        long waiting = stored.stream().filter(t -> t.phaseAfter() == PodPhase.POD_PHASE_PENDING).count();
        if (stored.size() == 1) {
            Pod pod = stored.get(0).after();
            log.info("Pod {} ({}) created", pod.getId(), pod.getSpec().getName());
        } else {
            log.info("{} pods created, {} placed at once", stored.size(), stored.size() - waiting);
        }
        if (waiting > 0) {
            placement.request();
        }
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
