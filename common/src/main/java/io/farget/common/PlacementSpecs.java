package io.farget.common;

import io.farget.proto.v1.ContainerSpec;
import io.farget.proto.v1.LabelSelector;
import io.farget.proto.v1.PodSpec;
import io.farget.proto.v1.Resources;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates the placement side of a pod spec: priority, node selectors, GPU models, spreading,
 * anti-affinity, and the GPU, disk and extended resources of its containers. Like {@link PodSpecs},
 * every rejection is an INVALID_ARGUMENT whose message starts with the field's path.
 *
 * <p>A pod's GPUs are one request: whole GPUs (the sum over its containers), or one share of a
 * single GPU asked by one container. Init containers ask for none.
 */
public final class PlacementSpecs {
    public static final int MAX_GPUS = 64;
    private static final Pattern LABEL_KEY = Pattern.compile("^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern RESOURCE_NAME = Pattern.compile("^[a-z0-9.-]{1,253}/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");

    private PlacementSpecs() {}

    /** Throws INVALID_ARGUMENT naming the first bad placement field of {@code spec}. */
    public static void validate(PodSpec spec) {
        selectors("nodeSelector", spec.getNodeSelectorList());
        selectors("antiAffinity", spec.getAntiAffinityList());
        for (int i = 0; i < spec.getGpuModelsCount(); i++) {
            if (spec.getGpuModels(i).isBlank()) {
                throw FargetException.invalid("gpuModels[" + i + "]", "must not be empty");
            }
        }
        if (spec.hasSpread()) {
            if (!LABEL_KEY.matcher(spec.getSpread().getLabelKey()).matches()) {
                throw FargetException.invalid("spread.labelKey", "is not a valid label key");
            }
            if (spec.getSpread().getMaxPerHost() < 1) {
                throw FargetException.invalid("spread.maxPerHost", "must be at least 1");
            }
        }
        validateContainers("containers", spec.getContainersList());
        validateContainers("initContainers", spec.getInitContainersList());
        for (int i = 0; i < spec.getInitContainersCount(); i++) {
            Resources r = spec.getInitContainers(i).getResources();
            if (r.getGpu() > 0 || r.getGpuMilli() > 0) {
                throw FargetException.invalid("initContainers[" + i + "].resources.gpu", "init containers cannot ask for GPUs");
            }
        }
        int whole = 0;
        int shares = 0;
        for (ContainerSpec c : spec.getContainersList()) {
            whole += c.getResources().getGpu();
            shares += c.getResources().getGpuMilli() > 0 ? 1 : 0;
        }
        if (shares > 1 || (shares == 1 && whole > 0)) {
            throw FargetException.invalid("containers.resources.gpuMilli",
                    "a pod asks for whole GPUs or for one share of one GPU, not both and not several shares");
        }
        if (whole > MAX_GPUS) {
            throw FargetException.invalid("containers.resources.gpu", "at most " + MAX_GPUS + " GPUs per pod");
        }
    }

    private static void validateContainers(String field, List<ContainerSpec> containers) {
        for (int i = 0; i < containers.size(); i++) {
            resources(field + "[" + i + "].resources", containers.get(i).getResources());
        }
    }

    private static void resources(String path, Resources r) {
        if (r.getGpu() < 0 || r.getGpu() > MAX_GPUS) {
            throw FargetException.invalid(path + ".gpu", "must be 0-" + MAX_GPUS);
        }
        if (r.getGpuMilli() < 0 || r.getGpuMilli() > 1000) {
            throw FargetException.invalid(path + ".gpuMilli", "must be 0-1000 (a share of one GPU)");
        }
        if (r.getGpu() > 0 && r.getGpuMilli() > 0) {
            throw FargetException.invalid(path + ".gpuMilli", "give gpu (whole GPUs) or gpuMilli (a share), not both");
        }
        if (r.getEphemeralStorageBytes() < 0) {
            throw FargetException.invalid(path + ".ephemeralStorage", "must not be negative");
        }
        for (Map.Entry<String, Long> e : r.getExtendedMap().entrySet()) {
            if (!RESOURCE_NAME.matcher(e.getKey()).matches()) {
                throw FargetException.invalid(path + ".extended." + e.getKey(), "is not a resource name (domain/name)");
            }
            if (e.getValue() < 0) {
                throw FargetException.invalid(path + ".extended." + e.getKey(), "must not be negative");
            }
        }
    }

    private static void selectors(String field, List<LabelSelector> selectors) {
        for (int i = 0; i < selectors.size(); i++) {
            LabelSelector s = selectors.get(i);
            String path = field + "[" + i + "]";
            if (!LABEL_KEY.matcher(s.getKey()).matches()) {
                throw FargetException.invalid(path + ".key", "'" + s.getKey() + "' is not a valid label key");
            }
            switch (s.getOperator()) {
                case OPERATOR_UNSPECIFIED, OPERATOR_IN, OPERATOR_NOT_IN -> {
                    if (s.getValuesCount() == 0) {
                        throw FargetException.invalid(path + ".values", "In and NotIn need at least one value");
                    }
                }
                case OPERATOR_EXISTS, OPERATOR_DOES_NOT_EXIST -> {
                    if (s.getValuesCount() > 0) {
                        throw FargetException.invalid(path + ".values", "Exists and DoesNotExist take no values");
                    }
                }
                default -> throw FargetException.invalid(path + ".operator", "must be In, NotIn, Exists or DoesNotExist");
            }
        }
    }
}
