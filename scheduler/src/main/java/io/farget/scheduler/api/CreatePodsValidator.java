package io.farget.scheduler.api;

import io.farget.common.FargetException;
import io.farget.common.PodBatches;
import io.farget.common.PodSpecs;
import io.farget.proto.v1.CreatePodRequest;
import io.farget.proto.v1.CreatePodsRequest;
import io.farget.scheduler.control.NewPod;
import io.farget.scheduler.control.PodControl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a CreatePods request as a whole before any of it goes to the leader, so a bad item stores
 * nothing: its size, each item as CreatePod checks it, and that no request id repeats (two items
 * with one id would be one pod). A rejection names the item: {@code pods[3].spec.containers[0].image}.
 */
final class CreatePodsValidator {
    private CreatePodsValidator() {}

    /** The items' normalized specs with their request ids, in request order. */
    static List<NewPod> validate(CreatePodsRequest request) {
        int count = request.getPodsCount();
        if (count == 0) {
            throw FargetException.invalid("pods", "at least one pod is required");
        }
        if (count > PodBatches.MAX_PODS) {
            throw FargetException.invalid("pods", "at most " + PodBatches.MAX_PODS + " per call (got " + count + ")");
        }
        List<NewPod> pods = new ArrayList<>(count);
        Map<String, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < count; i++) {
            CreatePodRequest item = request.getPods(i);
            String at = "pods[" + i + "].";
            try {
                pods.add(new NewPod(PodSpecs.validateAndNormalize(item.getSpec()), item.getRequestId()));
            } catch (FargetException e) {
                throw within(at + "spec.", e);
            }
            try {
                PodControl.validateRequestId(item.getRequestId());
            } catch (FargetException e) {
                throw within(at, e);
            }
            if (!item.getRequestId().isEmpty()) {
                Integer first = firstWithId.putIfAbsent(item.getRequestId(), i);
                if (first != null) {
                    throw FargetException.invalid(at + "request_id", "'" + item.getRequestId()
                            + "' is also pods[" + first + "]'s; each pod needs its own");
                }
            }
        }
        return pods;
    }

    /** The same rejection, its field named from the request's root. */
    private static FargetException within(String prefix, FargetException e) {
        return new FargetException(e.code(), prefix + e.getMessage(), e);
    }
}
